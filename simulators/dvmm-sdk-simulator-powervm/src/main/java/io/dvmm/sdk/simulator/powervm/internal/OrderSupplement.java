package io.dvmm.sdk.simulator.powervm.internal;

/**
 * The few elements a client sends that no capture shows, placed between siblings the captures
 * do show. Everything else in {@link ElementOrder} comes from the data; these come from
 * pypowervm's element-order constants ({@code _VADPT_*} in {@code wrappers/storage.py} and
 * {@code wrappers/network.py}) and its {@code LOGONREQUEST_TEMPLATE}.
 */
final class OrderSupplement {

    private OrderSupplement() {
    }

    static ElementOrder.Builder apply(ElementOrder.Builder b) {
        // Virtual adapters ask the HMC for a slot instead of naming one.
        for (String adapter : new String[] {"ClientAdapter", "ServerAdapter", "ClientNetworkAdapter"}) {
            b.supplement(adapter, "UseNextAvailableSlotID", "VariedOn", "VirtualSlotNumber");
            b.supplement(adapter, "UseNextAvailableHighSlotID", "UseNextAvailableSlotID", "VirtualSlotNumber");
        }
        // The logon request is a request body only; the captures hold the response.
        b.supplement("LogonRequest", "Metadata", null, "UserID");
        b.supplement("LogonRequest", "UserID", "Metadata", "Password");
        b.supplement("LogonRequest", "Password", "UserID", null);
        return b;
    }
}
