package io.dvmm.sdk.simulator.hyperv;

/** A VHD(X) file: virtual size, file size, type ({@code Dynamic}, {@code Fixed}, {@code Differencing}), parent path or null. */
public record SimVhd(String path, long sizeBytes, long fileBytes, String type, String parent) {
}
