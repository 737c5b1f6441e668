package io.dvmm.sdk;

import java.util.Objects;

/**
 * A spec or argument breaks a rule. The message names the field and the rule; nothing was sent
 * to the hypervisor when this is thrown by a builder or by a provider's local validation.
 */
public class InvalidSpecException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /** The offending field. */
    private final String field;
    /** The rule it breaks. */
    private final String rule;

    /**
     * @param field the offending field, such as {@code cpuCount} or {@code nics[0].network}
     * @param rule the rule it breaks, such as {@code must be at least 1}
     */
    public InvalidSpecException(String field, String rule) {
        this(field, rule, ErrorContext.EMPTY);
    }

    /**
     * @param field the offending field
     * @param rule the rule it breaks
     * @param context provider, operation and server details
     */
    public InvalidSpecException(String field, String rule, ErrorContext context) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(rule, "rule"), context, false, null);
        this.field = field;
        this.rule = rule;
    }

    /** @return the offending field's name, as it is named on the spec */
    public String field() {
        return field;
    }

    /** @return the rule the field breaks */
    public String rule() {
        return rule;
    }
}
