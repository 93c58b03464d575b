package io.seaport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.TestPorts;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider is found on the module path through {@code uses}/{@code provides} alone, as it is
 * on the class path through {@code META-INF/services} (which every other test exercises).
 */
final class ModulePathIT {
    private static final List<String> MODULE_JARS = List.of("seaport-api", "seaport-jgroups", "jgroups",
            "semver4j", "slf4j-api", "slf4j-simple");

    @Test
    void join_seaportOnTheModulePath_findsTheJGroupsProviderModule() throws Exception {
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> modulePath = new ArrayList<>();
        for (String entry : classPath) {
            if (MODULE_JARS.stream().anyMatch(name -> isArtifact(entry, name))) {
                modulePath.add(entry);
            }
        }
        String testClasses = classPath.stream().filter(e -> e.endsWith("test-classes")).findFirst().orElseThrow();
        int port = TestPorts.clusterBasePort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "--module-path", String.join(File.pathSeparator, modulePath), "--add-modules", "io.seaport",
                "-cp", testClasses, ModulePathMain.class.getName(), "module-path-" + ProcessHandle.current().pid(),
                Integer.toString(port))
                .redirectErrorStream(true).start();

        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(exited).as("member JVM exited; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
        assertThat(modulePath).as("module path").hasSize(MODULE_JARS.size());
        assertThat(output).contains("api-module=io.seaport", "provider-module=io.seaport.jgroups",
                "found=127.0.0.1:4242");
    }

    /** Whether a class-path entry is a module's jar or, in a reactor build, its classes directory. */
    private static boolean isArtifact(String entry, String name) {
        Path path = Path.of(entry);
        String file = path.getFileName().toString();
        if (file.equals("classes")) {
            return path.getParent().getParent().getFileName().toString().equals(name);
        }
        return file.startsWith(name + "-") && file.endsWith(".jar") && !file.endsWith("-tests.jar")
                && file.substring(name.length() + 1).matches("\\d.*");
    }
}
