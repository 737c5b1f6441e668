package io.dvmm.sdk.simulator.hyperv;

/** A virtual switch; {@code type} is {@code External}, {@code Internal} or {@code Private}. */
public record SimSwitch(String id, String name, String type) {
}
