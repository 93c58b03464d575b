package io.seaport.jgroups;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import java.util.List;

/**
 * Joins a one-member cluster from the class path while Seaport itself is on the module path, and
 * prints which module the provider came from. Run by {@link ModulePathIT}.
 */
public final class ModulePathMain {
    private ModulePathMain() {
    }

    /**
     * Joins, registers a service, queries it back and prints the result.
     *
     * @param args cluster name, bind port
     */
    public static void main(String[] args) {
        try (Seaport seaport = Seaport.builder().cluster(args[0]).bindPort(Integer.parseInt(args[1]))
                .peers("127.0.0.1:" + args[1]).join();
             Registration registration = seaport.register("module-check@1.0.0", 4242)) {
            List<Service> found = seaport.query("module-check@1.x");
            System.out.println("api-module=" + Seaport.class.getModule().getName());
            System.out.println("provider-module=" + seaport.getClass().getModule().getName());
            System.out.println("found=" + found.get(0).address() + " id=" + registration.service().id());
        }
    }
}
