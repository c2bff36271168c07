package dev.cookies.internal;

import dev.cookies.spi.RequestContext;
import dev.cookies.spi.RequestContextProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The adapters' {@link RequestContextProvider}s, loaded once. */
public final class RequestContexts {

    private static final Logger LOG = LoggerFactory.getLogger(RequestContexts.class);

    private static final class Holder {
        static final List<RequestContextProvider> PROVIDERS = load();
    }

    private RequestContexts() {
    }

    /**
     * Turns a native request into a context.
     *
     * @param request a {@link RequestContext} or a framework's request object
     * @return the context, or empty if no adapter on the classpath knows the type
     */
    public static Optional<RequestContext> of(Object request) {
        if (request instanceof RequestContext) {
            return Optional.of((RequestContext) request);
        }
        for (RequestContextProvider provider : Holder.PROVIDERS) {
            Optional<RequestContext> context = provider.wrap(request);
            if (context.isPresent()) {
                return context;
            }
        }
        return Optional.empty();
    }

    private static List<RequestContextProvider> load() {
        List<RequestContextProvider> list = new ArrayList<>();
        Iterator<RequestContextProvider> it =
                ServiceLoader.load(RequestContextProvider.class, RequestContexts.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                list.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("A request context provider could not be loaded and is ignored: {}", e.getMessage());
            }
        }
        return List.copyOf(list);
    }
}
