// Audit several pages in one Chromium (starting one per page doubled the run time).
// Reads a JSON list of {name, url, report, cookies} on stdin; writes each Lighthouse JSON
// report. Mobile form factor (Lighthouse's default), accessibility category only.
import fs from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const jobs = JSON.parse(fs.readFileSync(0, 'utf8'));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: process.env.CHROME_FLAGS.split(' '),
});
const browser = await puppeteer.connect({browserURL: `http://127.0.0.1:${chrome.port}`});
try {
  for (const job of jobs) {
    const page = await browser.newPage();
    // A session goes in the browser's cookie jar: a Cookie header given to Lighthouse loses
    // to the jar's own cookies (the csrftoken a form page set in an earlier audit).
    const cdp = await page.createCDPSession();
    await cdp.send('Network.clearBrowserCookies');
    const cookies = Object.entries(job.cookies || {});
    for (const [name, value] of cookies) {
      await cdp.send('Network.setCookie', {name, value, url: job.url});
    }
    const flags = {
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['accessibility'],
      formFactor: 'mobile',
      // The page's picture is for Lighthouse's viewer; it takes a second and most of the file.
      disableFullPageScreenshot: true,
      // Lighthouse's storage reset would clear the session just set.
      disableStorageReset: cookies.length > 0,
    };
    const result = await lighthouse(job.url, flags, undefined, page);
    fs.writeFileSync(job.report, result.report);
    await page.close();
    const score = result.lhr.categories.accessibility.score;
    console.error(`  ${job.name.padEnd(20)} ${score === null ? 'error' : Math.round(score * 100)}`);
  }
} finally {
  await browser.disconnect();
  await chrome.kill();
}
