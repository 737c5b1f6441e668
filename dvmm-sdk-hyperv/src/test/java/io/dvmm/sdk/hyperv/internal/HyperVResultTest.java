package io.dvmm.sdk.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The result line: only it is read, decoded from base64 to UTF-8 JSON, and {@code ok=false} mapped by id and type. */
class HyperVResultTest {
    private static final ErrorContext CTX = ErrorContext.of("hyperv", "getVm");

    static String line(String json) {
        return HyperVScript.RESULT_MARKER + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(int exit, String stdout, String stderr) {
        return HyperVClient.result(CTX, HyperVScript.GET_VM, exit, stdout, stderr, JsonNode.class, "field");
    }

    @Test
    void onlyTheMarkedLineIsRead() {
        String out = "WARNING: something\r\n" + line("{\"ok\":true,\"data\":{\"name\":\"w\u00e9b \u2603\"}}") + "\r\nmore noise\r\n";
        assertThat(parse(0, out, "#< CLIXML\r\n<Objs><S S=\"progress\">x</S></Objs>").get("name").asText()).isEqualTo("w\u00e9b \u2603");
        assertThat(parse(0, line("{\"ok\":true,\"data\":null}"), "")).isNull();
    }

    @Test
    void failuresMapByIdThenType() {
        assertThatThrownBy(() -> parse(1, line("{\"ok\":false,\"msg\":\"no VM x\",\"type\":\"System.Exception\",\"id\":\"HvsdkNotFound\"}"), ""))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no VM x")
                .satisfies(e -> assertThat(((NotFoundException) e).serverCode()).hasValue("HvsdkNotFound"));
        assertThatThrownBy(() -> parse(1, line("{\"ok\":false,\"msg\":\"d exists\",\"type\":\"System.Exception\",\"id\":\"HvsdkConflict\"}"), ""))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> parse(1, line("{\"ok\":false,\"msg\":\"bad\",\"type\":\"System.Exception\",\"id\":\"HvsdkInvalidArgument\"}"), ""))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("field"));
        assertThatThrownBy(() -> parse(1, line("{\"ok\":false,\"msg\":\"VM is Off\",\"type\":\"x\","
                + "\"id\":\"InvalidState,Microsoft.HyperV.PowerShell.Commands.SaveVM\"}"), ""))
                .isInstanceOf(ConflictException.class).satisfies(e -> assertThat(((ConflictException) e).retryable()).isFalse());
        assertThatThrownBy(() -> parse(1, line("{\"ok\":false,\"msg\":\"denied\",\"type\":\"System.UnauthorizedAccessException\","
                + "\"id\":\"System.UnauthorizedAccessException\"}"), "")).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> parse(1, line("{\"ok\":false,\"msg\":\"boom\",\"type\":\"Microsoft.HyperV.PowerShell."
                + "VirtualizationException\",\"id\":\"Unspecified,Microsoft.HyperV.PowerShell.Commands.NewVM\"}"), ""))
                .isInstanceOf(OperationFailedException.class);
    }

    @Test
    void aMissingOrDoubledOrGarbledLineIsAProtocolError() {
        assertThatThrownBy(() -> parse(0, "nothing here", "")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> parse(0, line("{\"ok\":true}") + "\n" + line("{\"ok\":true}"), "")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> parse(0, HyperVScript.RESULT_MARKER + "%%%", "")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> parse(0, line("[1]"), "")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> parse(1, line("{\"ok\":true,\"data\":1}"), "")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aFailureWithoutResultLineCarriesStderrText() {
        String clixml = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                + "<S S=\"Error\">The term 'Hyper-V\\Get-VM' is not recognized_x000D__x000A_</S></Objs>";
        assertThatThrownBy(() -> parse(1, "", clixml)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("The term 'Hyper-V\\Get-VM' is not recognized");
    }
}
