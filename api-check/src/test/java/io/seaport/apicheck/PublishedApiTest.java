package io.seaport.apicheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each published module's public API equals its committed dump in {@code api/}. When the API
 * changes on purpose, {@code -Dapi.update} rewrites the dumps; the diff then shows the change for
 * review.
 */
final class PublishedApiTest {
    static final String UPDATE_COMMAND = "./mvnw -B -ntp -pl api-check -am verify -Dapi.update";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "seaport-api, io.seaport",
        "seaport-jgroups, io.seaport.jgroups",
        "seaport-proxy, io.seaport.proxy",
        "seaport-spring-boot-starter, io.seaport.spring.boot",
        "seaport-micrometer, io.seaport.micrometer",
    })
    void publicApi_ofPublishedModule_equalsItsCommittedDump(String artifact, String moduleName) throws IOException {
        Path dumpFile = Path.of(System.getProperty("seaport.api.dir", "../api")).resolve(artifact + ".api");
        List<String> actual = new ArrayList<>();
        actual.add("# The public API of " + artifact + ". Checked by api-check; after an intended change run");
        actual.add("# " + UPDATE_COMMAND + " and commit this file.");
        actual.addAll(ApiDump.of(locate(moduleName), PublishedApiTest.class.getClassLoader()));

        if (updating()) {
            Files.createDirectories(dumpFile.getParent());
            Files.write(dumpFile, actual, StandardCharsets.UTF_8);
        }
        List<String> committed = Files.exists(dumpFile) ? Files.readAllLines(dumpFile, StandardCharsets.UTF_8) : List.of();

        assertThat(committed)
                .withFailMessage("The public API of %s differs from %s:%n%s%nIf the change is intended, run%n  %s%n"
                        + "and commit the updated dump.", artifact, dumpFile.normalize(), diff(committed, actual),
                        UPDATE_COMMAND)
                .isEqualTo(actual);
    }

    private static boolean updating() {
        String update = System.getProperty("api.update");
        return update != null && !update.equals("false");
    }

    /** The class-path entry (classes directory or jar) that holds the module named {@code moduleName}. */
    private static Path locate(String moduleName) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                continue;
            }
            Optional<ModuleReference> module;
            try {
                module = ModuleFinder.of(path).findAll().stream().findFirst();
            } catch (RuntimeException notAModule) {
                continue;
            }
            if (module.isPresent() && module.get().descriptor().name().equals(moduleName)) {
                return path;
            }
        }
        throw new AssertionError("module " + moduleName + " is not on the test class path");
    }

    /** Lines only in the committed dump ({@code -}) and only in the actual API ({@code +}). */
    private static String diff(List<String> committed, List<String> actual) {
        Set<String> before = new HashSet<>(committed);
        Set<String> after = new HashSet<>(actual);
        StringBuilder diff = new StringBuilder();
        committed.stream().filter(l -> !l.isEmpty() && !after.contains(l)).forEach(l -> diff.append("- ").append(l).append('\n'));
        actual.stream().filter(l -> !l.isEmpty() && !before.contains(l)).forEach(l -> diff.append("+ ").append(l).append('\n'));
        return diff.length() == 0 ? "(only the order or blank lines differ)" : diff.toString();
    }
}
