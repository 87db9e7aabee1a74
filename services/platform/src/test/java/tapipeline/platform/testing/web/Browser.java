package tapipeline.platform.testing.web;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium for browser tests: Debian's {@code /usr/bin/chromium} driven through
 * {@code /usr/bin/chromedriver} by Selenium (never Selenium Manager, which would go to the network).
 * Takes screenshots at desktop (1280 px) and phone (390 px) width under the module's
 * {@code target/screenshots/}, and runs axe-core 4.14.1 (vendored in this test jar, MPL-2.0) at WCAG 2.2 AA.
 *
 * <p>When chromium or chromedriver is missing, {@link #start()} skips the test (JUnit assumption, shown as
 * skipped) locally, and FAILS it when the {@code CI} environment variable is set, so CI cannot silently
 * skip browser tests. {@code .ci/run} installs both.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final int DESKTOP_WIDTH = 1280;
    public static final int PHONE_WIDTH = 390;
    /** The axe-core rule tags checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
    public static final List<String> AXE_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    private final ChromeDriver driver;
    private final Path userDataDir;

    private Browser(ChromeDriver driver, Path userDataDir) {
        this.driver = driver;
        this.userDataDir = userDataDir;
    }

    /** Starts a headless Chromium, or skips (locally) / fails (with CI set) when it is not installed. */
    public static Browser start() {
        return start(null);
    }

    /**
     * Like {@link #start()}, and files the page downloads (PDFs included, instead of opening the
     * built-in viewer) go to {@code downloadDir} without asking.
     */
    public static Browser start(Path downloadDir) {
        requireInstalled(CHROMIUM, CHROMEDRIVER, System.getenv("CI"));
        try {
            Path profile = Files.createTempDirectory("chromium-profile");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            // the browser console, so a test sees content-security-policy violations and script errors
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    "--user-data-dir=" + profile, "--window-size=" + DESKTOP_WIDTH + ",900", "--lang=en-US");
            if (downloadDir != null) {
                options.setExperimentalOption("prefs", Map.of(
                        "download.default_directory", downloadDir.toAbsolutePath().toString(),
                        "download.prompt_for_download", false,
                        "plugins.always_open_pdf_externally", true));
            }
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns if both executables exist; otherwise fails (an {@link AssertionError}) when {@code ci} is set
     * to anything but "false", or aborts the test (shown as skipped) when it is not.
     */
    static void requireInstalled(String chromium, String chromedriver, String ci) {
        String missing = !new File(chromium).canExecute() ? chromium
                : !new File(chromedriver).canExecute() ? chromedriver : null;
        if (missing != null) {
            String message = missing + " is not installed (apt-get install chromium chromium-driver; .ci/run does it)";
            if (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci)) {
                throw new AssertionError("browser test cannot run in CI: " + message);
            }
            Assumptions.abort("browser test skipped: " + message);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Waits (up to 10 s) until the current URL contains {@code part}, e.g. after a form's redirect. */
    public Browser waitForUrl(String part) {
        try {
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains(part));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("expected the browser at a URL containing " + part + ", it is at "
                    + driver.getCurrentUrl() + " showing: " + driver.findElement(org.openqa.selenium.By.tagName("main")).getText());
        }
        return this;
    }

    /**
     * Clicks what {@code by} finds (a submit button or a link) and waits (up to 15 s) until the browser
     * has left the current document and loaded the next one. Reading the page right after a bare
     * {@code click()} races the navigation: the old page's elements are found, then go stale.
     */
    public Browser clickAndWait(org.openqa.selenium.By by) {
        return clickAndWait(driver.findElement(by));
    }

    /**
     * {@link #clickAndWait(org.openqa.selenium.By)} for an element already in hand. The old document is
     * marked with a property on its {@code window}; a new document has a new {@code window} without
     * it. (Waiting for the old {@code <html>} element to go stale is not enough: chromedriver answers
     * some calls on a node of an unloaded document with "Node with given id does not belong to the
     * document", an unknown error rather than a stale element.)
     */
    public Browser clickAndWait(org.openqa.selenium.WebElement element) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("window.__tapipelineLeaving = true;");
        element.click();
        var wait = new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(15))
                .ignoring(org.openqa.selenium.WebDriverException.class); // scripts fail while the page changes
        try {
            wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                    "return window.__tapipelineLeaving === undefined && document.readyState === 'complete';")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the click did not load a new page within 15 s; still at " + driver.getCurrentUrl());
        }
        return this;
    }

    /**
     * Waits (polling every 100 ms) until a finished file whose name ends with {@code suffix} (e.g.
     * {@code ".pdf"}; Chromium's partial {@code .crdownload} files do not match) is in
     * {@code downloadDir}, the directory given to {@link #start(Path)}, and returns it.
     */
    public static Path awaitDownload(Path downloadDir, String suffix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(downloadDir)) {
                List<Path> done = files.filter(f -> f.toString().endsWith(suffix)).toList();
                if (!done.isEmpty()) {
                    return done.get(0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + suffix + " file downloaded into " + downloadDir + " within " + timeout);
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Saves {@code target/screenshots/<name>-desktop.png} (1280 px wide) and {@code <name>-phone.png}
     * (390 px wide), full page height, and returns both paths.
     */
    public List<Path> screenshots(String name) {
        List<Path> out = new ArrayList<>();
        out.add(screenshot(name + "-desktop", DESKTOP_WIDTH));
        out.add(screenshot(name + "-phone", PHONE_WIDTH));
        resize(DESKTOP_WIDTH, 900);
        return out;
    }

    private Path screenshot(String file, int width) {
        try {
            resize(width, 900);
            Number height = (Number) driver.executeScript(
                    "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                    "height", Math.min(Math.max(height.intValue(), 600), 6000), "deviceScaleFactor", 1,
                    "mobile", width < 600));
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path target = dir.resolve(file + ".png");
            Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * The browser console's errors since the last call (SEVERE entries: script errors, refused inline
     * scripts or styles under the content security policy, failed loads).
     */
    public List<String> consoleErrors() {
        List<String> out = new ArrayList<>();
        for (org.openqa.selenium.logging.LogEntry e : driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)) {
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    /** Fails listing the console's errors (e.g. a CSP violation) if there are any since the last call. */
    public void assertNoConsoleErrors(String pageName) {
        List<String> errors = consoleErrors();
        if (!errors.isEmpty()) {
            throw new AssertionError("browser console errors on " + pageName + ":\n  " + String.join("\n  ", errors));
        }
    }

    /** One axe-core violation: rule id, impact, the failing elements' selectors and a summary. */
    public record Violation(String rule, String impact, String help, List<String> targets, String summary) {
        @Override
        public String toString() {
            return rule + " (" + impact + "): " + help + "\n      at " + String.join(", ", targets)
                    + (summary.isEmpty() ? "" : "\n      " + summary.replace("\n", "\n      "));
        }
    }

    /** Runs axe-core on the current page with {@link #AXE_TAGS} and returns its violations. */
    @SuppressWarnings("unchecked")
    public List<Violation> axe() {
        driver.executeScript(axeSource());
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
                        + ".then(function (r) { done(r.violations.map(function (v) { return {"
                        + " rule: v.id, impact: v.impact || '', help: v.help,"
                        + " targets: v.nodes.map(function (n) { return n.target.join(' '); }),"
                        + " summary: v.nodes.map(function (n) { return n.failureSummary || ''; }).join('\\n') }; })); })"
                        + ".catch(function (e) { done('axe failed: ' + e); });", AXE_TAGS);
        if (result instanceof String s) {
            throw new AssertionError(s);
        }
        List<Violation> out = new ArrayList<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) result) {
            out.add(new Violation((String) v.get("rule"), (String) v.get("impact"), (String) v.get("help"),
                    (List<String>) v.get("targets"), (String) v.get("summary")));
        }
        return out;
    }

    /** Fails with a readable list when axe-core finds any WCAG 2.2 AA violation on the current page. */
    public void assertAccessible(String pageName) {
        List<Violation> violations = axe();
        if (!violations.isEmpty()) {
            StringBuilder sb = new StringBuilder("axe-core found " + violations.size() + " WCAG 2.2 AA violation(s) on "
                    + pageName + " (" + driver.getCurrentUrl() + "):");
            violations.forEach(v -> sb.append("\n  - ").append(v));
            throw new AssertionError(sb.toString());
        }
    }

    private static volatile String axeSource;

    private static String axeSource() {
        if (axeSource == null) {
            try (InputStream in = Browser.class.getResourceAsStream("/tapipeline/testing/axe/axe.min.js")) {
                if (in == null) {
                    throw new IllegalStateException("axe.min.js missing from the platform test jar");
                }
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axeSource;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(userDataDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}
