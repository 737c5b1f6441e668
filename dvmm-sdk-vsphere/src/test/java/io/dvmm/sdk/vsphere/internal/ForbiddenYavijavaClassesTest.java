package io.dvmm.sdk.vsphere.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider uses yavijava's data model only: never its transports and stubs ({@code ws}: JVM-wide
 * trust, unsafe parsing, {@code XmlGen}'s unescaped managed object references), its managed-object
 * layer ({@code mo}: a round trip per property) or anything that logs through log4j 1.x (see
 * reference/vsphere.md §4).
 */
class ForbiddenYavijavaClassesTest {

    private static final List<String> FORBIDDEN = List.of(
            "com/vmware/vim/rest/", "com/vmware/vim/cf/", "com/vmware/vim25/ws/", "com/vmware/vim25/mo/",
            "org/doublecloud/", "org/dom4j/", "org/apache/log4j/");

    @Test
    void compiledClassesReferenceNoForbiddenYavijavaClass() throws IOException {
        Path classes = Path.of("target", "classes");
        List<String> offenders = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path p : files) {
            String constants = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            for (String f : FORBIDDEN) {
                if (constants.contains(f)) {
                    offenders.add(classes.relativize(p) + " -> " + f);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
