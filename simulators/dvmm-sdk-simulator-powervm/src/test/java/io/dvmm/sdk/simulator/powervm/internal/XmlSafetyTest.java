package io.dvmm.sdk.simulator.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser behind every request body refuses DTDs, so no entity can read a file or expand without end. */
class XmlSafetyTest {

    @Test
    void anExternalEntityIsRefused(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "top secret");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>";

        assertThatThrownBy(() -> Xml.parse(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedXmlException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void anEntityExpansionBombIsRefused() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><r>&b;</r>";

        assertThatThrownBy(() -> Xml.parse(bomb.getBytes(StandardCharsets.UTF_8))).isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void plainDocumentsParse() {
        assertThat(Xml.name(Xml.parse("<a:b xmlns:a=\"urn:x\"/>".getBytes(StandardCharsets.UTF_8)).getDocumentElement()))
                .isEqualTo("b");
    }
}
