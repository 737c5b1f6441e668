package io.dvmm.sdk.hyperv.internal.scripts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds {@code shared/data/hyperv/cmdlets.json} by walking up from the working directory; the file is read in
 * place and never copied into the repository.
 */
final class SharedData {

    static final String CMDLETS = "shared/data/hyperv/cmdlets.json";

    private SharedData() {
    }

    static Optional<Path> findCmdlets() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(CMDLETS);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The catalogue file, or a skip (a failure on CI) that says where it was looked for. */
    static Path requireCmdlets() {
        return findCmdlets().orElseThrow(() -> MissingTool.report(
                CMDLETS + " not found above " + Path.of("").toAbsolutePath() + ": cmdlet binding not checked"));
    }
}
