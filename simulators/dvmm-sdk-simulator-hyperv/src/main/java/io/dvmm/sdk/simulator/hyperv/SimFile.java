package io.dvmm.sdk.simulator.hyperv;

import java.util.Optional;

/** A file on the host: its length, and its bytes when a script wrote them ({@code copy-file}). */
public record SimFile(String path, long length, Optional<byte[]> content) {
}
