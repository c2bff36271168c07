package dev.cookies.javalin.legacy;

import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The shop's listener: counts session and attribute events, as an application's metrics would. */
public final class SessionCounter implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {

    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger destroyed = new AtomicInteger();
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger replaced = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    private final AtomicInteger idChanged = new AtomicInteger();

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        created.incrementAndGet();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        destroyed.incrementAndGet();
    }

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
        added.incrementAndGet();
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
        removed.incrementAndGet();
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
        replaced.incrementAndGet();
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
        idChanged.incrementAndGet();
    }

    /** The counts so far, by event name. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        counts.put("created", created.get());
        counts.put("destroyed", destroyed.get());
        counts.put("added", added.get());
        counts.put("replaced", replaced.get());
        counts.put("removed", removed.get());
        counts.put("idChanged", idChanged.get());
        return counts;
    }
}
