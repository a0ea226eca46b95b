package org.flowstore.app.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of the command line of a JVM this one launches (a node process): this JVM's java
 * and the {@code --add-opens} options it was given, which every JVM running Atomix needs. Their
 * one source is {@code tools/jvm-opens.args}; a child inherits them from its parent instead of
 * repeating the list. Where the child logs through slf4j-simple (the tests' class path) its lines
 * carry the time, so the logs of a failed multi-process run can be laid side by side, and go to
 * standard output: the child's own lines there (a test node's {@code ACK} and {@code COPY} lines)
 * and its log lines are then written by one stream, a whole line at a time. Logged to standard
 * error, merged into the same pipe by the parent, a log line was seen cutting a long {@code COPY}
 * line in two.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Returns the java executable of this JVM followed by its {@code --add-opens} options and the
     * options of slf4j-simple (time stamps, standard output; ignored where the child logs through
     * logback).
     *
     * @param options further JVM options (heap, GC) placed after them
     * @return the command so far; the caller adds the class path, main class and arguments
     */
    public static List<String> command(String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(addOpens());
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        command.add("-Dorg.slf4j.simpleLogger.logFile=System.out");
        command.addAll(List.of(options));
        return command;
    }

    /** Returns the {@code --add-opens} options of this JVM, as it reports them ({@code --add-opens=module/package=target}). */
    public static List<String> addOpens() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens=")).toList();
    }
}
