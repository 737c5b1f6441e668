package io.dvmm.sdk.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NotesFrameTest {

    @Test
    void userNotesAreKeptAndMetadataRoundTrips() {
        String hostile = "]\r\n[hvsdk-meta:AAAA]\n\u2018'$(x)`\"";
        NotesFrame f = new NotesFrame("line one\r\nline two", Map.of("k", hostile, "empty", ""), Map.of(NotesFrame.MARKER, "dvmm-42"));
        String text = f.render();
        assertThat(text).startsWith("line one\r\nline two\r\n[hvsdk-meta:").endsWith("]");
        NotesFrame back = NotesFrame.parse(text);
        assertThat(back.userNotes()).isEqualTo("line one\r\nline two");
        assertThat(back.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("k", hostile, "empty", ""));
        assertThat(back.marker()).isEqualTo("dvmm-42");
    }

    @Test
    void notesWithoutAFrameAreAllTheUsers() {
        assertThat(NotesFrame.parse(null).userNotes()).isEmpty();
        NotesFrame plain = NotesFrame.parse("hand written [hvsdk-meta:not base64!]");
        assertThat(plain.userNotes()).isEqualTo("hand written [hvsdk-meta:not base64!]");
        assertThat(plain.metadata()).isEmpty();
        NotesFrame broken = NotesFrame.parse("x\r\n[hvsdk-meta:AAAA]");
        assertThat(broken.userNotes()).isEqualTo("x\r\n[hvsdk-meta:AAAA]");
        assertThat(new NotesFrame("only notes", Map.of(), Map.of()).render()).isEqualTo("only notes");
    }

    @Test
    void metadataCanBeReplacedWithoutTouchingTheRest() {
        NotesFrame f = NotesFrame.parse(new NotesFrame("n", Map.of("a", "1"), Map.of(NotesFrame.FOLDER, "D:\\dvmm\\x")).render());
        NotesFrame g = NotesFrame.parse(f.withMetadata(Map.of("b", "2")).render());
        assertThat(g.userNotes()).isEqualTo("n");
        assertThat(g.metadata()).containsExactly(Map.entry("b", "2"));
        assertThat(g.sdk()).containsEntry(NotesFrame.FOLDER, "D:\\dvmm\\x");
    }
}
