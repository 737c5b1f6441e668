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
 * The provider never references the parts of yavijava that install JVM-wide trust, cookies or
 * authenticators, parse unsafely, or make a round trip per property (see reference/vsphere.md §4).
 */
class ForbiddenYavijavaClassesTest {

    private static final List<String> FORBIDDEN = List.of(
            "com/vmware/vim/rest/", "com/vmware/vim/cf/", "com/vmware/vim25/ws/WSClient",
            "com/vmware/vim25/ws/SoapClient", "com/vmware/vim25/ws/TrustAllSSL", "com/vmware/vim25/ws/ApacheHttpClient",
            "com/vmware/vim25/ws/CustomSSLTrustContextCreator", "com/vmware/vim25/ws/XmlGenDom",
            "com/vmware/vim25/ws/ClientCreator", "com/vmware/vim25/mo/", "org/dom4j/", "org/apache/log4j/");

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
