package io.seaport.jgroups.internal;

import org.jgroups.logging.CustomLogFactory;
import org.jgroups.logging.Log;
import org.jgroups.logging.LogFactory;
import org.jgroups.logging.Slf4jLogImpl;

/**
 * Routes JGroups' logging to SLF4J. JGroups picks its logger by which classes are present
 * (log4j-core wins over SLF4J), so without this an application's logging setup would be bypassed.
 * Must run before JGroups classes that log are loaded.
 *
 * <p>What JGroups code logs for one of Seaport's subclasses of its protocols (the transport, the
 * side socket, discovery) goes to the category of the JGroups class it extends, such as
 * {@code org.jgroups.protocols.TCP}: a setting for {@code org.jgroups} (the command line turns it
 * off) then covers all of JGroups' own messages. Seaport's own lines use their class's logger.
 */
final class JGroupsLogging {
    private static boolean installed;

    private JGroupsLogging() {
    }

    /** Installs the SLF4J log factory once; later calls do nothing. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        if (LogFactory.getCustomLogFactory() == null) {
            LogFactory.setCustomLogFactory(new CustomLogFactory() {
                @Override
                public Log getLog(Class<?> clazz) {
                    return new Slf4jLogImpl(category(clazz));
                }

                @Override
                public Log getLog(String category) {
                    return new Slf4jLogImpl(category);
                }
            });
        }
    }

    /** Returns the name of the nearest JGroups class {@code clazz} is or extends (its own name if none). */
    static String category(Class<?> clazz) {
        for (Class<?> type = clazz; type != null; type = type.getSuperclass()) {
            if (type.getName().startsWith("org.jgroups.")) {
                return type.getName();
            }
        }
        return clazz.getName();
    }
}
