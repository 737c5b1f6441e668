package io.dvmm.sdk;

/** The one rule every name and value that reaches a request obeys: no control characters. */
final class Text {
    private Text() {
    }

    /**
     * @param value a name or value, or {@code null} (nothing to check)
     * @param field the field it is set on
     * @throws InvalidSpecException naming the field when it holds a control character
     */
    static void noControlCharacters(String value, String field) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidSpecException(field, "must not contain control characters (found \\u"
                        + String.format("%04x", (int) c) + " at index " + i + ")");
            }
        }
    }
}
