package io.dvmm.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ExceptionSerializationTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aSerializedExceptionKeepsMessageProviderOperationAndServerDetails() throws Exception {
        ErrorContext ctx = ErrorContext.builder().provider("proxmox").operation("createVm").serverCode("500")
                .serverMessage("VM 123 is locked").retryAfter(Duration.ofSeconds(3)).build();
        BusyException e = new BusyException("VM 123 is locked (clone)", ctx);
        BusyException copy = roundTrip(e);
        assertThat(copy.getMessage()).isEqualTo(e.getMessage()).contains("[proxmox createVm]").contains("VM 123 is locked");
        assertThat(copy.provider()).isEqualTo("proxmox");
        assertThat(copy.operation()).isEqualTo("createVm");
        assertThat(copy.serverCode()).hasValue("500");
        assertThat(copy.context().retryAfter()).hasValue(Duration.ofSeconds(3));
        assertThat(copy.retryable()).isTrue();
    }

    @Test
    void whatIsLeftBehindSurvivesSerializationAndEndsTheMessage() throws Exception {
        OperationTimeoutException e = new OperationTimeoutException("createVm did not finish", ErrorContext.of("vsphere", "createVm"));
        e.addSuppressed(new CleanupFailedException(List.of("VM vm-42"), "Destroy_Task failed", ErrorContext.of("vsphere", "createVm"), null));
        OperationTimeoutException copy = roundTrip(e);
        assertThat(copy.leftBehind()).containsExactly("VM vm-42");
        assertThat(copy.getMessage()).endsWith("left behind: VM vm-42");
    }

    @Test
    void hugeServerMessagesAreCut() {
        String huge = "x".repeat(50_000_000);
        HypervisorException e = new ProtocolException(huge, ErrorContext.of("vsphere", "getVm").withServer("Fault", huge));
        assertThat(e.getMessage().length()).isLessThan(20_000);
        assertThat(e.serverMessage().orElseThrow().length()).isLessThan(ErrorContext.MAX_SERVER_MESSAGE + 100);
    }

    @Test
    void unwrapRemovesTheFutureWrappers() {
        NotFoundException nf = new NotFoundException("VM 1 does not exist", ErrorContext.of("inmemory", "getVm"));
        CompletableFuture<Object> f = CompletableFuture.failedFuture(nf).thenApply(x -> x);
        try {
            f.join();
        } catch (CompletionException ce) {
            assertThat(HypervisorException.unwrap(ce)).isSameAs(nf);
        }
        assertThat(HypervisorException.unwrap(new CompletionException(new java.util.concurrent.ExecutionException(nf)))).isSameAs(nf);
    }
}
