package tapipeline.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * How to start another JVM like this one: the same {@code java} binary and the same classpath.
 *
 * <p>The classpath comes from {@code java.class.path}; a manifest-only jar on it (as Surefire and
 * Failsafe use by default) is expanded into its {@code Class-Path} entries, and the URLs of any
 * {@link URLClassLoader} above this class (e.g. {@code exec:java}) are added.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** The {@code java} executable of the running JVM. */
    public static String javaBinary() {
        Path fromHome = Paths.get(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The classpath of the running JVM as a list of existing files, manifest-only jars expanded. */
    public static List<Path> classpath() {
        Set<Path> entries = new LinkedHashSet<>();
        String cp = System.getProperty("java.class.path", "");
        for (String element : cp.split(File.pathSeparator)) {
            if (!element.isBlank()) {
                addExpanded(Paths.get(element).toAbsolutePath().normalize(), entries, 0);
            }
        }
        for (ClassLoader loader = ChildJvm.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    toPath(url.toString(), null).ifPresent(p -> addExpanded(p, entries, 0));
                }
            }
        }
        return List.copyOf(entries);
    }

    /** {@link #classpath()} joined with the platform's path separator. */
    public static String classpathString() {
        List<String> parts = new ArrayList<>();
        for (Path p : classpath()) {
            parts.add(p.toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    private static void addExpanded(Path entry, Set<Path> entries, int depth) {
        if (!Files.exists(entry) || !entries.add(entry) || depth > 2) {
            return;
        }
        if (!Files.isRegularFile(entry) || !entry.getFileName().toString().endsWith(".jar")) {
            return;
        }
        List<Path> manifestEntries = manifestClassPath(entry);
        if (!manifestEntries.isEmpty() && isManifestOnly(entry)) {
            entries.remove(entry);
        }
        for (Path p : manifestEntries) {
            addExpanded(p, entries, depth + 1);
        }
    }

    private static List<Path> manifestClassPath(Path jar) {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            Manifest manifest = jarFile.getManifest();
            if (manifest == null) {
                return List.of();
            }
            String value = manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            List<Path> result = new ArrayList<>();
            for (String token : value.trim().split("\\s+")) {
                toPath(token, jar.getParent()).ifPresent(result::add);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar, e);
        }
    }

    /** A jar whose only content is its manifest (a launcher jar), not a library. */
    private static boolean isManifestOnly(Path jar) {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            return jarFile.stream().allMatch(e -> e.getName().startsWith("META-INF/"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> toPath(String token, Path base) {
        try {
            URI uri = new URI(token);
            if (uri.getScheme() != null) {
                return "file".equals(uri.getScheme())
                        ? Optional.of(Paths.get(uri).toAbsolutePath().normalize())
                        : Optional.empty();
            }
            Path resolved = base == null ? Paths.get(uri.getPath()) : base.resolve(uri.getPath());
            return Optional.of(resolved.toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            Path p = Paths.get(token);
            return Optional.of((base == null ? p : base.resolve(p)).toAbsolutePath().normalize());
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }
}
