package io.reelbox.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.reelbox.testing.Daemon;
import io.reelbox.testing.FolderJob;
import io.reelbox.testing.OpsClient;
import io.reelbox.testing.Probe;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them): a job
 * made in the browser appears and finishes, its poster loads and its video plays, and a failed job is fixed and
 * retried with its button. The last screen is saved as target/dashboard.png (README.md shows it).
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration RENDER = Duration.ofMinutes(2);

    @TempDir
    Path root;
    Daemon daemon;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Skipped: the dashboard test needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                        + "/usr/bin/chromedriver); .ci/run installs them: sudo apt-get install chromium chromium-driver");
        daemon = Daemon.start(root.resolve("d"), Map.of("reelbox.local.ffmpeg", Probe.ffmpeg().binary().toString(),
                "reelbox.inbox.media-timeout", "1s"));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1500",
                        "--autoplay-policy=no-user-gesture-required", "--mute-audio");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aJobMadeInTheBrowserFinishesPlaysAndAFailedOneIsRetried() throws Exception {
        Path a = Probe.still(root.resolve("sunrise.jpg"), "testsrc2=s=1280x720");
        Path b = Probe.still(root.resolve("bars.jpg"), "smptehdbars=s=1280x720");
        OpsClient api = OpsClient.of(daemon);
        browser.get(api.base + "/");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("intake")).getText().equals("taking jobs"));

        // A job from the browser: pick files, type the prompt, submit.
        browser.findElement(By.id("files")).sendKeys(a + "\n" + b);
        browser.findElement(By.id("prompt")).sendKeys("a 4 second video with fades");
        browser.findElement(By.id("name")).sendKeys("from-chromium");
        browser.findElement(By.id("submit")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("submit-result")).getText()
                .equals("Added \"from-chromium\" to the inbox."));

        // A job that fails: its sidecar names a photo that never comes.
        FolderJob.drop(daemon.inbox, "needs-two", "prompt: a 3 second video\nmedia: [sunrise.jpg, two.jpg]\n", a);

        WebElement done = await().atMost(RENDER).until(() -> job("done", "from-chromium"), e -> e != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> (Boolean) js("const i = arguments[0].querySelector('img.poster');"
                + " return i.complete && i.naturalWidth === 480;", done));

        WebElement failed = await().atMost(Duration.ofSeconds(30)).until(() -> job("failed", "needs-two"), e -> e != null);
        assertTrue(failed.findElement(By.className("hint")).getText().startsWith("Media named in the sidecar never arrived"));
        assertEquals("media-missing", failed.findElement(By.className("code")).getText());

        // The poster opens the player; the browser reads the video through byte ranges and knows its length.
        done.findElement(By.cssSelector("img.poster")).click();
        WebElement video = await().atMost(Duration.ofSeconds(10)).until(() -> done.findElement(By.tagName("video")), v -> v != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> ((Number) js("return arguments[0].readyState;", video)).intValue() >= 1);
        assertEquals(4.0, ((Number) js("return arguments[0].duration;", video)).doubleValue(), 0.1);

        // The user adds the missing photo and clicks Retry: the job leaves Failed and finishes.
        Files.copy(b, daemon.inbox.resolve(".failed/needs-two/two.jpg"));
        failed.findElement(By.className("retry")).click();
        await().atMost(RENDER).until(() -> job("done", "needs-two") != null && job("failed", "needs-two") == null);
        assertTrue(Files.exists(daemon.outbox.resolve("needs-two.mp4")));
        assertEquals(3.0, Probe.info(daemon.outbox.resolve("needs-two.mp4")).duration(), 0.1);

        // One that stays failed, so the picture shows every kind of job.
        Files.writeString(daemon.inbox.resolve("broken.yaml"), "prompt: [unclosed\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> job("failed", "broken") != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) js("return [...document.querySelectorAll('img.poster')]"
                + ".every(i => i.complete && i.naturalWidth > 0);"));

        // And one rendering, caught with its progress bar part way: the picture for the README.
        FolderJob.drop(daemon.inbox, "long-one", "prompt: a 40 second video with fades\n", a, b);
        // Read in one script: the running list is drawn anew each second, so an element found in one call may be gone
        // by the next.
        await().atMost(RENDER).until(() -> (Boolean) js("const li = document.querySelector(\"#running li[data-job='long-one']\");"
                + " if (!li) return false; const w = parseFloat(li.querySelector('.bar > span').style.width);"
                + " return w >= 10 && w <= 95 && li.querySelector('button.cancel') !== null;"));
        Path shot = Path.of("target", "dashboard.png");
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(shot) > 10_000);
        await().atMost(RENDER).until(() -> job("done", "long-one") != null);
    }

    @Test
    void aFinishedVideoIsRefinedFromItsRefineBoxAndTheVersionsShowAsAChain() throws Exception {
        Path a = Probe.still(root.resolve("sunrise.jpg"), "testsrc2=s=1280x720");
        FolderJob.drop(daemon.inbox, "teaser", "prompt: a 4 second video\n", a);
        OpsClient api = OpsClient.of(daemon);
        browser.get(api.base + "/");
        WebElement done = await().atMost(RENDER).until(() -> job("done", "teaser"), e -> e != null);
        assertEquals("versions: teaser", done.findElement(By.className("chain")).getText());

        done.findElement(By.className("refine-prompt")).sendKeys("make it 2 seconds");
        done.findElement(By.cssSelector("form.refine button")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> (Boolean) js("const r = document.querySelector(\"#done li[data-job='teaser'] .refine-result\");"
                + " return r !== null && r.textContent.startsWith('Refining: the next version of teaser is on its way');"));
        await().atMost(RENDER).until(() -> Files.exists(daemon.outbox.resolve("teaser-v2.json")));
        assertEquals(2.0, Probe.info(daemon.outbox.resolve("teaser-v2.mp4")).duration(), 0.1);
        await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) js("return [...document.querySelectorAll('#done .chain')]"
                + ".map(c => c.textContent).filter(t => t === 'versions: teaser → v2').length === 2;"));
    }

    private WebElement job(String list, String name) {
        var found = browser.findElements(By.cssSelector("#" + list + " li[data-job='" + name + "']"));
        return found.isEmpty() ? null : found.get(0);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }
}
