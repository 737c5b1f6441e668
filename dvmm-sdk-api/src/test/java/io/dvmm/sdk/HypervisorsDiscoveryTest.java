package io.dvmm.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.spi.HypervisorProvider;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HypervisorsDiscoveryTest {

    /** A provider registered by hand, as in a fat jar that lost META-INF/services. */
    static final class HandMadeProvider implements HypervisorProvider {
        @Override
        public String type() {
            return "handmade";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("handmade", "hm");
        }

        @Override
        public String displayName() {
            return "Hand-registered test provider";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.INVENTORY);
        }

        @Override
        public Hypervisor connect(HypervisorConfig config) {
            throw new UnsupportedCapabilityException(Capability.INVENTORY, ErrorContext.of("handmade", "connect"));
        }
    }

    @AfterEach
    void forget() {
        Hypervisors.unregister("handmade");
    }

    @Test
    void anUnknownTypeFailsListingTheProvidersFound() {
        assertThatThrownBy(() -> Hypervisors.connect("nosuch://host", Credentials.none()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("no provider for 'nosuch'")
                .hasMessageContaining("providers found: none")
                .hasMessageContaining("type(...)")
                .hasMessageNotContaining("dvmm-sdk-nosuch");
        // A provider of this project that is not on the class path: the message names its artifact.
        assertThatThrownBy(() -> Hypervisors.connect("powervm://hmc", Credentials.none()))
                .hasMessageContaining("io.dvmm.sdk:dvmm-sdk-powervm");
        // https is no provider's own scheme: no made-up artifact such as dvmm-sdk-https.
        assertThatThrownBy(() -> Hypervisors.connect("https://pve1:8006", Credentials.none()))
                .hasMessageNotContaining("dvmm-sdk-https");
    }

    @Test
    void aRegisteredProviderIsFoundByTypeAndScheme() {
        Hypervisors.register(new HandMadeProvider());
        assertThat(Hypervisors.providers()).extracting(ProviderInfo::type).contains("handmade");
        assertThat(Hypervisors.provider("HM")).map(ProviderInfo::type).hasValue("handmade");
        assertThat(Hypervisors.provider(java.net.URI.create("hm://x"))).isPresent();
        assertThatThrownBy(() -> Hypervisors.connect("nosuch://host", Credentials.none()))
                .hasMessageContaining("handmade [");
        assertThat(Hypervisors.unregister("handmade")).isTrue();
        assertThat(Hypervisors.provider("hm")).isEmpty();
    }
}
