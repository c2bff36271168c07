package dev.cookies.store.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a real data source and records every statement executed through its connections, in order,
 * by its SQL text, and every {@link Connection#isValid} (a round trip that is not a statement). It
 * counts; the real driver and the real database do the work.
 */
final class CountingDataSource implements DataSource {

    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    private final DataSource real;
    private final List<String> executed = new ArrayList<>();
    private int validations;

    CountingDataSource(DataSource real) {
        this.real = real;
    }

    /** Returns the statements executed since the last call, and forgets them. */
    synchronized List<String> drain() {
        List<String> copy = List.copyOf(executed);
        executed.clear();
        return copy;
    }

    /** Returns how many {@code isValid} checks ran since the last call, and forgets them. */
    synchronized int drainValidations() {
        int n = validations;
        validations = 0;
        return n;
    }

    private synchronized void record(String sql) {
        executed.add(sql);
    }

    private synchronized void validated() {
        validations++;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(real.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            Object result = invoke(c, method, args);
            String name = method.getName();
            if (name.equals("isValid")) {
                validated();
            }
            if (name.equals("prepareStatement") && result instanceof PreparedStatement) {
                return statement((PreparedStatement) result, PreparedStatement.class, (String) args[0]);
            }
            if (name.equals("createStatement") && result instanceof Statement) {
                return statement((Statement) result, Statement.class, null);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private <S extends Statement> S statement(S real, Class<S> type, String preparedSql) {
        InvocationHandler h = (proxy, method, args) -> {
            if (EXECUTE.contains(method.getName())) {
                record(preparedSql != null ? preparedSql : String.valueOf(args == null ? "(batch)" : args[0]));
            }
            return invoke(real, method, args);
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
