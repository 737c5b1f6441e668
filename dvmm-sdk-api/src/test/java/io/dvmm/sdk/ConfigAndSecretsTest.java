package io.dvmm.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigAndSecretsTest {

    @Test
    void credentialsNeverShowTheirSecret() {
        assertThat(Credentials.password("root@pam", "hunter2-secret").toString())
                .contains("root@pam").doesNotContain("hunter2-secret");
        assertThat(Credentials.apiToken("root@pam!ci", "0b1c-token-secret").toString())
                .contains("root@pam!ci").doesNotContain("0b1c-token-secret");
        assertThat(Credentials.providerSpecific("kerberos", Map.of("keytab", "c2VjcmV0")).toString())
                .contains("keytab").doesNotContain("c2VjcmV0");
        assertThatThrownBy(() -> Credentials.password("root", "")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("credentials.password");
    }

    @Test
    void configDefaultsAndRedaction() {
        HypervisorConfig c = HypervisorConfig.builder("proxmox://pve1:8006")
                .credentials(Credentials.password("root@pam", "s3cr3t-pass")).build();
        assertThat(c.type()).isEqualTo("proxmox");
        assertThat(c.tls().mode()).isEqualTo(TlsOptions.Mode.SYSTEM);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxConcurrentRequests()).isEqualTo(16);
        assertThat(c.toString()).doesNotContain("s3cr3t-pass");
        HypervisorConfig copy = c.toBuilder().type("PROXMOX").maxConcurrentRequests(4).build();
        assertThat(copy.type()).isEqualTo("proxmox");
        assertThat(copy.maxConcurrentRequests()).isEqualTo(4);
        assertThat(c.maxConcurrentRequests()).isEqualTo(16);
    }

    @Test
    void configRefusesCredentialsInTheUriAndBadValues() {
        assertThatThrownBy(() -> HypervisorConfig.builder("proxmox://root:pw@pve1:8006").build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("endpoint").hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> HypervisorConfig.builder("pve1").build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("scheme");
        assertThatThrownBy(() -> HypervisorConfig.builder("inmemory:/x").readTimeout(Duration.ZERO).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("readTimeout");
        assertThatThrownBy(() -> HypervisorConfig.builder("inmemory:/x").maxConcurrentRequests(0).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("maxConcurrentRequests");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build()).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void pinsAreNormalizedAndChecked() {
        String hex = "AB:".repeat(31) + "AB";
        assertThat(TlsOptions.pinSha256(hex).pinnedSha256()).hasValue("ab".repeat(32));
        assertThatThrownBy(() -> TlsOptions.pinSha256("abcd")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("tls.pinnedSha256");
        assertThat(TlsOptions.insecure().mode()).isEqualTo(TlsOptions.Mode.INSECURE);
    }

    @Test
    void exceptionsCarryProviderOperationAndServerDetails() {
        HypervisorException e = new BusyException("VM 101 is locked",
                ErrorContext.of("proxmox", "stopVm").withServer("500", "VM is locked (clone)"));
        assertThat(e.retryable()).isTrue();
        assertThat(e.provider()).isEqualTo("proxmox");
        assertThat(e.operation()).isEqualTo("stopVm");
        assertThat(e.serverCode()).hasValue("500");
        assertThat(e.getMessage()).isEqualTo("[proxmox stopVm] VM 101 is locked (server: 500 VM is locked (clone))");
        assertThat(new NotFoundException("x", ErrorContext.EMPTY).retryable()).isFalse();
        assertThat(new UnavailableException("x", ErrorContext.EMPTY).retryable()).isTrue();
    }

    @Test
    void queriesMatchByGlobStateAndMetadata() {
        VmInfo vm = VmInfo.builder().id(VmId.of("1")).name("web-01").powerState(PowerState.POWERED_ON)
                .metadata(Map.of("team", "web")).build();
        assertThat(VmQuery.builder().namePattern("web-*").build().matches(vm)).isTrue();
        assertThat(VmQuery.builder().namePattern("web-?1").build().matches(vm)).isTrue();
        assertThat(VmQuery.builder().namePattern("db-*").build().matches(vm)).isFalse();
        assertThat(VmQuery.builder().namePattern("web.01").build().matches(vm)).isFalse();
        assertThat(VmQuery.builder().powerState(PowerState.POWERED_OFF).build().matches(vm)).isFalse();
        assertThat(VmQuery.builder().metadata("team", "web").build().matches(vm)).isTrue();
        assertThat(VmQuery.builder().metadata("team", "db").build().matches(vm)).isFalse();
    }
}
