package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class PortAllocatorTest {
    private final PortAllocator allocator = new PortAllocator(new PortBook(), new FakeTicker());

    @Test
    void grant_bindAddressIsAHostName_grantsNothingWithoutLookingItUp() {
        assertThat(allocator.grant("127.0.0.1", "no-such-host.invalid", 20000, 20010)).isZero();
    }

    @Test
    void grant_ipLiteral_grantsAPortInTheRangeOnlyOnce() {
        int first = allocator.grant("127.0.0.1", "127.0.0.1", 20000, 29999);
        int second = allocator.grant("127.0.0.1", "127.0.0.1", 20000, 29999);

        assertThat(first).isBetween(20000, 29999);
        assertThat(second).isBetween(20000, 29999).isNotEqualTo(first);
    }
}
