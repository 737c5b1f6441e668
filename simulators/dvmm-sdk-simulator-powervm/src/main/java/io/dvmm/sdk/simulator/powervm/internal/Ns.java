package io.dvmm.sdk.simulator.powervm.internal;

/** The namespaces and media types the HMC REST API uses, as the captures show them. */
public final class Ns {

    public static final String ATOM = "http://www.w3.org/2005/Atom";
    public static final String OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/";
    public static final String XHTML = "http://www.w3.org/1999/xhtml";
    public static final String UOM = "http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/";
    public static final String WEB = "http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/";
    public static final String K2 = "http://www.w3.org/XML/1998/namespace/k2";
    public static final String XMLNS = "http://www.w3.org/2000/xmlns/";

    public static final String ATOM_XML = "application/atom+xml";
    public static final String UOM_XML = "application/vnd.ibm.powervm.uom+xml";
    public static final String WEB_XML = "application/vnd.ibm.powervm.web+xml";
    public static final String GENERATOR = "IBM Power Systems Management Console";

    private Ns() {
    }

    /** {@code application/vnd.ibm.powervm.uom+xml; type=LogicalPartition} and the like. */
    public static String uomType(String type) {
        return UOM_XML + "; type=" + type;
    }

    public static String webType(String type) {
        return WEB_XML + "; type=" + type;
    }
}
