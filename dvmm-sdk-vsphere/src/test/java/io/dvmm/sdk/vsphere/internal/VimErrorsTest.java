package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.DuplicateName;
import com.vmware.vim25.InvalidArgument;
import com.vmware.vim25.InvalidState;
import com.vmware.vim25.ManagedObjectNotFound;
import com.vmware.vim25.NotAuthenticated;
import com.vmware.vim25.TaskInProgress;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.spi.support.CallPolicy;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One class per cause, whatever the layer it comes from. */
class VimErrorsTest {

    private static HypervisorException fault(String type, Object detail) {
        return VimErrors.fault(new VimXmlReader.SoapFault("ServerFaultCode", "the server's words", type, detail), "SomeMethod", "getVm");
    }

    @Test
    void faultsMapByTheirModelClassOrName() {
        InvalidArgument invalid = new InvalidArgument();
        invalid.setInvalidProperty("spec.location.pool");
        assertThat(fault("InvalidArgument", invalid)).isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).field()).isEqualTo("placement.resourcePool"))
                .hasMessageContaining("spec.location.pool");
        invalid.setInvalidProperty("configSpec.guestId");
        assertThat(((InvalidSpecException) fault("InvalidArgument", invalid)).field()).isEqualTo("configSpec.guestId");
        assertThat(fault("DuplicateName", new DuplicateName())).isInstanceOf(ConflictException.class);
        assertThat(fault("ManagedObjectNotFound", new ManagedObjectNotFound())).isInstanceOf(NotFoundException.class);
        assertThat(fault("InvalidState", new InvalidState())).isInstanceOf(BusyException.class).matches(HypervisorException::retryable);
        assertThat(fault("TaskInProgress", new TaskInProgress())).isInstanceOf(BusyException.class).matches(HypervisorException::retryable);
        assertThat(fault("InvalidPowerState", null)).isInstanceOf(BusyException.class);
        HypervisorException auth = fault("NotAuthenticated", new NotAuthenticated());
        assertThat(auth).isInstanceOf(AuthenticationException.class);
        assertThat(VimErrors.isNotAuthenticated(auth)).isTrue();
        assertThat(auth.serverMessage()).contains("the server's words");
    }

    @Test
    void transportFailuresMapToOneClassEach() {
        Duration t = Duration.ofSeconds(2);
        HypervisorException tls = VimErrors.transport(new SSLHandshakeException("PKIX path building failed"), false, t, "Login", "login", "vc:443");
        assertThat(tls).isInstanceOf(AuthenticationException.class).hasMessageContaining("TLS");
        assertThat(tls.retryable()).isFalse();
        HypervisorException refused = VimErrors.transport(new ConnectException("Connection refused"), false, t, "CloneVM_Task", "createVm", "vc:443");
        assertThat(refused).isInstanceOf(UnavailableException.class);
        assertThat(CallPolicy.neverSent(refused)).as("a refused connection proves the request never left").isTrue();
        HypervisorException reset = VimErrors.transport(new IOException("unexpected end of stream"), true, t, "CloneVM_Task", "createVm", "vc:443");
        assertThat(reset).isInstanceOf(UnavailableException.class);
        assertThat(CallPolicy.neverSent(reset)).as("a reset after sending proves nothing").isFalse();
        assertThat(VimErrors.transport(new InterruptedIOException("timeout"), true, t, "RetrievePropertiesEx", "getVm", "vc:443"))
                .isInstanceOf(OperationTimeoutException.class).hasMessageContaining("PT2S");
        HypervisorException unavailable = VimErrors.http(503, Duration.ofSeconds(7), "RetrievePropertiesEx", "listVms");
        assertThat(unavailable).isInstanceOf(UnavailableException.class);
        assertThat(unavailable.context().retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(VimErrors.http(404, null, "RetrievePropertiesEx", "listVms")).isInstanceOf(ProtocolException.class);
    }
}
