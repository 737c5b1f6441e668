package io.dvmm.sdk.simulator.hyperv.internal;

/** The XML namespaces of the WinRM cmd-shell protocol, with the prefixes Windows writes. */
final class Ns {
    static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    static final String WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    static final String MS_WSMAN = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd";
    static final String SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    static final String TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer";
    static final String FAULT_DETAIL = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";

    static final String ANONYMOUS = ADDRESSING + "/role/anonymous";
    static final String CMD_RESOURCE_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
    static final String WSMAN_FAULT_ACTION = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault";
    static final String ADDRESSING_FAULT_ACTION = ADDRESSING + "/fault";

    static final String STATE_RUNNING = SHELL + "/CommandState/Running";
    static final String STATE_DONE = SHELL + "/CommandState/Done";
    static final String SIGNAL_TERMINATE = SHELL + "/signal/terminate";
    static final String SIGNAL_CTRL_C = SHELL + "/signal/ctrl_c";
    static final String SIGNAL_CTRL_BREAK = SHELL + "/signal/ctrl_break";

    private Ns() {
    }
}
