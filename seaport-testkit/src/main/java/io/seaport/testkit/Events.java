package io.seaport.testkit;

import io.seaport.ServiceEvent;
import java.util.function.Predicate;

/** Conditions on {@link ServiceEvent}s, for {@link MemberProcess.Watch#awaitEvent}. */
public final class Events {
    private Events() {
    }

    /**
     * Returns a condition true for a {@link ServiceEvent.Registered} of the service {@code id}.
     *
     * @param id a {@link io.seaport.Service#id()}
     * @return the condition
     */
    public static Predicate<ServiceEvent> registered(String id) {
        return e -> e instanceof ServiceEvent.Registered && e.service().id().equals(id);
    }

    /**
     * Returns a condition true for a {@link ServiceEvent.Freed} of the service {@code id}, for
     * any reason.
     *
     * @param id a {@link io.seaport.Service#id()}
     * @return the condition
     */
    public static Predicate<ServiceEvent> freed(String id) {
        return e -> e instanceof ServiceEvent.Freed && e.service().id().equals(id);
    }

    /**
     * Returns the reason of a {@link ServiceEvent.Freed}, or null for another event.
     *
     * @param event an event
     * @return the reason, or null
     */
    public static ServiceEvent.Reason reason(ServiceEvent event) {
        return event instanceof ServiceEvent.Freed freed ? freed.reason() : null;
    }
}
