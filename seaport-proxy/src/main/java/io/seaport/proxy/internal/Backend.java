package io.seaport.proxy.internal;

import io.seaport.Service;
import io.seaport.Role;
import java.net.InetSocketAddress;
import java.util.Comparator;

/**
 * A matching service and the address to connect to, resolved once when it registered so that
 * selector threads never wait for name resolution.
 */
record Backend(Service service, InetSocketAddress address, Role role) {

    /** Query order: highest version first, then oldest registration (ids sort by time). */
    static final Comparator<Backend> ORDER = (a, b) -> {
        int byVersion = b.role.compareVersionTo(a.role);
        return byVersion != 0 ? byVersion : a.service.id().compareTo(b.service.id());
    };

    static Backend of(Service service) {
        InetSocketAddress address = new InetSocketAddress(service.host(), service.port());
        return new Backend(service, address, Role.parse(service.roleAtVersion()));
    }

    String id() {
        return service.id();
    }

    @Override
    public String toString() {
        return service.roleAtVersion() + " at " + service.address() + " (" + service.id() + ")";
    }
}
