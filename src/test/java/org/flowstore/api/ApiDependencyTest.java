package org.flowstore.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The contract depends on nothing but the JDK, Guava and OSGi's export annotations. */
class ApiDependencyTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> ALLOWED = List.of("java.", "com.google.common.", "org.osgi.annotation.",
            "org.flowstore.api.");

    @Test
    void apiImportsOnlyTheJdkGuavaAndItself() throws IOException {
        Path root = Path.of("api");
        assertTrue(Files.isDirectory(root), "run from the project root");
        List<String> offending = new ArrayList<>();
        int files;
        try (Stream<Path> sources = Files.walk(root)) {
            List<Path> javaFiles = sources.filter(p -> p.toString().endsWith(".java")).toList();
            files = javaFiles.size();
            for (Path file : javaFiles) {
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String imported = m.group(2);
                    if (ALLOWED.stream().noneMatch(imported::startsWith)) {
                        offending.add(file + ": " + imported);
                    }
                }
            }
        }
        assertTrue(files > 40, "expected the api sources, found " + files + " files");
        assertEquals(List.of(), offending);
    }
}
