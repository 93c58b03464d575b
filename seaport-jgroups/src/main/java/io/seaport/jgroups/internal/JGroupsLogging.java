package io.seaport.jgroups.internal;

import org.jgroups.logging.CustomLogFactory;
import org.jgroups.logging.Log;
import org.jgroups.logging.LogFactory;
import org.jgroups.logging.Slf4jLogImpl;

/**
 * Routes JGroups' logging to SLF4J. JGroups picks its logger by which classes are present
 * (log4j-core wins over SLF4J), so without this an application's logging setup would be bypassed.
 * Must run before JGroups classes that log are loaded.
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
                    return new Slf4jLogImpl(clazz);
                }

                @Override
                public Log getLog(String category) {
                    return new Slf4jLogImpl(category);
                }
            });
        }
    }
}
