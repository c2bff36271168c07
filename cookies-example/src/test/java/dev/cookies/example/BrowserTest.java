package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cookies.SameSite;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real headless Chromium (Debian's chromium and chromium-driver, at their
 * package paths; nothing is downloaded), on each adapter: increment, log in, see it, log out, with the
 * browser's own Fetch Metadata passing the cross-site guard; and the browser's own cookie store shows
 * the cookies' HttpOnly and SameSite as configured.
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

    private Sessions sessions;
    private ExampleServer server;
    private WebDriver browser;

    @BeforeEach
    void start(@TempDir Path profile) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "no Chromium at " + CHROMIUM + " or no chromedriver at " + CHROMEDRIVER
                    + "; install Debian's chromium and chromium-driver (as .ci/run does) to run the browser test";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (sessions != null) {
            sessions.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("increment, log in, see who is logged in, log out; cookies carry HttpOnly and SameSite as configured")
    void pageWorksInABrowser(String adapter) throws Exception {
        sessions = Sessions.of(
                SessionManager.builder(ExampleSessions.SESSION).store("memory:").build(),
                SessionManager.builder(ExampleSessions.AUTH).store("memory:").cookie(c -> c.sameSite(SameSite.STRICT)).build());
        server = ExampleServer.start(adapter, sessions, "127.0.0.1", 0);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get(server.baseUri() + "/");
        assertEquals("0", browser.findElement(By.id("count")).getText());

        browser.findElement(By.id("increment")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count"), "1"));
        browser.findElement(By.id("increment")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count"), "2"));

        browser.findElement(By.id("user")).sendKeys("alice");
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.textToBe(By.id("user-name"), "alice"));
        assertTrue(browser.findElement(By.id("login-state")).getText().contains("Logged in as alice"));
        assertEquals("2", browser.findElement(By.id("count")).getText(), "the counter survives a reload");

        Cookie session = browser.manage().getCookieNamed("SESSION");
        Cookie auth = browser.manage().getCookieNamed("AUTH");
        assertTrue(session.isHttpOnly(), "SESSION is HttpOnly");
        assertEquals("Lax", session.getSameSite());
        assertTrue(auth.isHttpOnly(), "AUTH is HttpOnly");
        assertEquals("Strict", auth.getSameSite());
        assertEquals("/", auth.getPath());
        assertTrue(browser.manage().getCookies().stream().noneMatch(Cookie::isSecure), "Secure was not configured");

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-state"), "Not logged in"));
        assertNull(browser.manage().getCookieNamed("AUTH"), "logout expired the AUTH cookie");
        assertEquals("2", browser.findElement(By.id("count")).getText());
    }
}
