package io.dvmm.sdk.spi.support;

import java.util.function.Consumer;

/**
 * One attempt of the request that makes a VM. All attempts of one {@code createVm} share a
 * marker (written into the VM's description, notes or name), so that whichever attempt landed can
 * be recognized; a retry never makes a second VM.
 *
 * @param <V> the provider's handle of a VM
 */
public final class CreateAttempt<V> {
    private final int number;
    private final String marker;
    private final Consumer<V> made;

    CreateAttempt(int number, String marker, Consumer<V> made) {
        this.number = number;
        this.marker = marker;
        this.made = made;
    }

    /** @return 1 for the first attempt */
    public int number() {
        return number;
    }

    /** @return the marker of this {@code createVm}, such as {@code dvmm-6f1c...}; the same on every attempt */
    public String marker() {
        return marker;
    }

    /**
     * Reports that the VM exists (even if the hypervisor is still making it): from now on a
     * failure removes it.
     *
     * @param vm the VM
     */
    public void made(V vm) {
        made.accept(vm);
    }
}
