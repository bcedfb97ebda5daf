// Browser tests of the web application: Playwright (playwright-core)
// driving Debian's Chromium against the real server (server.mjs), with
// axe-core on every page and screenshots of the main pages.
//
// node tests/e2e/browser_test.mjs --samflyt PATH --pathways DIR --artifacts DIR
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const artifacts = args.artifacts;
mkdirSync(artifacts, { recursive: true });

// A valid synthetic national id (day, month + 80, year, individual
// number, two check digits), as the demo's children have.
function syntheticNationalId(n) {
  for (let individual = 500 + n; ; individual++) {
    const d = `1503${'24'}${String(individual).padStart(3, '0')}`.split('').map(Number);
    d[2] = 8; d[3] = 3;  // month 03 + 80 = 83
    const w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    const w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let k1 = 11 - (w1.reduce((s, w, i) => s + w * d[i], 0) % 11);
    if (k1 === 11) k1 = 0;
    if (k1 === 10) continue;
    const d10 = [...d, k1];
    let k2 = 11 - (w2.reduce((s, w, i) => s + w * d10[i], 0) % 11);
    if (k2 === 11) k2 = 0;
    if (k2 === 10) continue;
    return [...d10, k2].join('');
  }
}

const checkedPages = [];
async function checkAccessibility(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${name}: serious or critical accessibility violations`);
  checkedPages.push(name);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

async function login(browser, base, username) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nb-NO' });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login/);
  await page.getByLabel('Brukernavn').fill(username);
  await page.getByLabel('Passord').fill('demo-passord');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
}

// The state shown for a step's box in the chart (its class).
async function boxState(page, title) {
  const box = page.locator(`svg.swimlanes a.step`, { has: page.locator(`title`, { hasText: title }) }).first();
  const cls = await box.getAttribute('class');
  return cls.replace('step', '').trim();
}

// Presses a task's button on the episode page (htmx swaps the page in).
async function act(page, taskTitle, buttonName) {
  await swapped(page, async () => {
    const card = page.locator('li.task-card', { has: page.locator('h5', { hasText: taskTitle }) }).first();
    await card.getByRole('button', { name: buttonName }).click();
  });
  await page.locator('.notice.success').first().waitFor();
}

// Runs `f` and waits until the episode's main part was replaced (by htmx,
// or by a whole new page).
async function swapped(page, f) {
  await page.evaluate(() => { document.getElementById('episode-main').dataset.old = '1'; });
  await f();
  await page.locator('#episode-main:not([data-old])').waitFor();
}

async function main() {
  const server = await startServer({ samflyt: args.samflyt, pathways: args.pathways });
  // Debian's Chromium, headless, without sandbox or background
  // networking; Playwright gives it a fresh temporary profile.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const base = server.base;
  let episodeUrl;
  try {
    // The login page itself.
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await checkAccessibility(page, 'login');
      await shot(page, '01-login');
      await page.getByLabel('Brukernavn').fill('kari.sorbo');
      await page.getByLabel('Passord').fill('feil-passord');
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.getByText('Feil brukernavn eller passord.').waitFor();
      await context.close();
    }

    // 1. A hospital nurse starts the STHF pathway for a new child and
    //    sees the chart and the tasks.
    {
      const { context, page } = await login(browser, base, 'kari.sorbo');
      await page.getByRole('heading', { name: 'Mine oppgaver' }).waitFor();
      await checkAccessibility(page, 'start page (nurse)');
      await shot(page, '02-start-nurse');
      // Patient search by (part of) a name.
      await page.getByRole('link', { name: 'Finn pasient' }).click();
      await page.getByLabel('Fødselsnummer eller navn').fill('fjell');
      await page.getByRole('button', { name: 'Søk' }).click();
      await page.getByText('Ida Fjellheim').waitFor();
      await checkAccessibility(page, 'patient search results');
      await shot(page, '02b-search');
      await page.getByRole('link', { name: 'Start forløp' }).click();
      await page.getByLabel('Fødselsnummer (11 siffer)').fill('12345678901');
      await page.getByText('Fødselsnummeret er ugyldig', { exact: false }).or(page.locator('#nid-status .field-error')).first().waitFor();
      const nid = syntheticNationalId(1);
      await page.getByLabel('Fødselsnummer (11 siffer)').fill(nid);
      await page.locator('#nid-status .field-ok').waitFor();
      await page.getByLabel('Barnets navn').fill('Testbarn Nettleser');
      await page.getByLabel('Sykehusavdeling').selectOption({ label: 'Barne- og ungdomsklinikken, barneavdelingen' });
      await page.getByLabel('Kommune').selectOption({ label: 'Skien kommune' });
      await checkAccessibility(page, 'start a pathway');
      await shot(page, '03-new-episode');
      await page.getByRole('button', { name: 'Start forløpet' }).click();
      await page.waitForURL(/\/episodes\/[0-9a-f-]{36}$/);
      episodeUrl = page.url();
      await page.getByRole('heading', { name: 'Testbarn Nettleser' }).waitFor();
      assert.equal(await page.locator('svg.swimlanes a.step').count(), 28, 'a box per step');
      assert.equal(await page.locator('li.task-card').count(), 28, 'a card per task');
      assert.equal(await boxState(page, 'Etablere behandlingsteam'), 'ready');
      assert.equal(await boxState(page, 'Kartlegge bistandsbehov'), 'blocked');
      // The hospital's first steps, up to sending the PLO message.
      for (const title of ['Etablere behandlingsteam', 'Kartlegge bistandsbehov', 'Estimere tentativ ut-dato', 'Sende PLO']) {
        await act(page, title, 'Merk som utført');
        assert.equal(await boxState(page, title), 'done', `${title} is done in the chart`);
      }
      await checkAccessibility(page, 'episode page (nurse)');
      await shot(page, '04-episode-nurse');
      // A task's own page with every action; the care team.
      const card = page.locator('li.task-card', { has: page.locator('h5', { hasText: 'Innhente samtykke' }) }).first();
      const taskHref = await card.getByRole('link', { name: /Flere handlinger/ }).getAttribute('href');
      await page.goto(`${base}${taskHref}`);
      await page.getByLabel('Tildel til').waitFor();
      await checkAccessibility(page, 'task page');
      // Care-team membership with an account gives access: the
      // hospital-at-home nurse has none before she is added.
      const lise = await login(browser, base, 'lise.bergsland');
      assert.equal((await lise.page.goto(episodeUrl)).status(), 403);
      await page.goto(`${episodeUrl}/care-team`);
      const liseOption = await page.locator('#m-user option', { hasText: 'Lise Bergsland' }).first().getAttribute('value');
      await page.getByLabel('Person med brukerkonto').selectOption(liseOption);
      await page.getByLabel('Rolle').selectOption('hjemmesykehus');
      await page.getByRole('button', { name: 'Legg til' }).click();
      await page.getByRole('cell', { name: 'Lise Bergsland', exact: true }).waitFor();
      await page.getByRole('cell', { name: 'Hjemmesykehus for barn og unge' }).waitFor();
      assert.equal((await lise.page.goto(episodeUrl)).status(), 200);
      await lise.page.getByRole('heading', { name: 'Testbarn Nettleser' }).waitFor();
      await lise.context.close();
      await page.getByLabel('Navn').fill('Fastlege Eksempel');
      await page.getByLabel('Rolle').selectOption('fastlege');
      await page.getByLabel('Telefon').fill('35000000');
      await page.getByRole('button', { name: 'Legg til' }).click();
      await page.getByRole('cell', { name: 'Fastlege Eksempel', exact: true }).waitFor();
      await checkAccessibility(page, 'care team');
      await shot(page, '05-care-team');
      // The discharge-ready ledger: the nurse records a stay (worked
      // example 1 of docs/discharge-ready-ledger.md) and sees its days.
      await page.goto(episodeUrl);
      await page.getByRole('link', { name: 'Utskrivningsklar og overliggedøgn' }).click();
      await page.getByText('Ingen sykehusopphold er registrert.').waitFor();
      const record = async (kind, at, date) => {
        await page.getByLabel('Hendelse', { exact: true }).selectOption(kind);
        await page.getByLabel('Tidspunkt').fill(at);
        await page.getByLabel('Dato', { exact: true }).fill(date || '');
        await page.getByRole('button', { name: 'Registrer' }).click();
      };
      await record('admitted', '2024-03-04T08:00');
      await page.getByText('Endringen er lagret.').waitFor();
      await record('admission_notice', '2024-03-04T15:00');
      await record('declared_ready', '2024-03-10T11:00');
      await record('ready_notice', '2024-03-10T13:00');
      await record('municipality_can_receive', '2024-03-12T09:00');  // no date: refused
      await page.getByRole('alert').filter({ hasText: 'Oppgi datoen kommunen kan ta imot pasienten fra.' }).waitFor();
      await record('municipality_can_receive', '2024-03-12T09:00', '2024-03-14');
      await record('discharged', '2024-03-14T10:00');
      await page.getByText('22\u00a0980\u00a0kr').waitFor();
      const payable = page.locator('dl.facts div', { hasText: 'Betalbare døgn' }).locator('dd');
      assert.equal((await payable.textContent()).trim(), '4');
      await checkAccessibility(page, 'discharge-ready ledger');
      await shot(page, '05b-ledger');
      // Messages: without the guardian's consent a note to the
      // municipality is refused and nothing is sent; the answer only the
      // municipality sends is refused too.
      await page.goto(episodeUrl);
      await page.getByRole('link', { name: 'Meldinger' }).click();
      await page.getByText('Ingen meldinger ennå.').waitFor();
      const send = async (kind, text, date) => {
        await page.getByLabel('Melding', { exact: true }).selectOption(kind);
        await page.getByLabel('Tekst', { exact: true }).fill(text || '');
        await page.getByLabel('Dato', { exact: true }).fill(date || '');
        await page.getByRole('button', { name: 'Send melding' }).click();
      };
      await send('dialog', 'Barnet trenger sug før måltid.');
      await page.getByRole('alert').filter({ hasText: 'det finnes ikke noe gyldig samtykke' }).waitFor();
      await send('reception_answer', '', '2024-03-20');
      await page.getByRole('alert').filter({ hasText: 'Bare kommunens ansatte sender denne meldingen.' }).waitFor();
      await page.getByText('Ingen meldinger ennå.').waitFor();
      // The refusal links to the consent page: the guardian's consent to
      // documentation for the child's municipality (listed first) is
      // recorded there, and then the note goes.
      await send('dialog', 'Barnet trenger sug før måltid.');
      await page.getByRole('link', { name: 'Registrer samtykke' }).click();
      await page.getByText('Ingen samtykke registrert').waitFor();
      await page.getByLabel('Navn på den som samtykket').fill('Vera Testmor');
      await page.getByRole('group', { name: 'Virksomheter' }).getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Registrer samtykke' }).click();
      await page.getByText('Samtykket er registrert.').waitFor();
      await page.getByRole('cell', { name: 'Gjelder', exact: true }).waitFor();
      await checkAccessibility(page, 'consent');
      await shot(page, '05d-consent');
      await page.goto(`${episodeUrl}/messages`);
      await send('dialog', 'Barnet trenger sug før måltid.');
      await page.getByText('Meldingen er lagt i kø for sending.').waitFor();
      // Ida's guardian consented (the demo): the note is queued.
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Ida Fjellheim' }).first().click();
      await page.getByRole('link', { name: 'Meldinger' }).click();
      await send('dialog', 'Barnet trenger sug før måltid. Opplæring av teamet avtales.');
      await page.getByText('Meldingen er lagt i kø for sending.').waitFor();
      await page.getByRole('cell', { name: 'I kø for sending' }).first().waitFor();
      await checkAccessibility(page, 'messages');
      await shot(page, '05c-messages');
      await page.goto(`${episodeUrl}/care-team`);
      // English, chosen in the header, stays with the user.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: /Care team/ }).waitFor();
      await page.goto(episodeUrl);
      await page.getByRole('heading', { name: 'Pathway chart' }).waitFor();
      await checkAccessibility(page, 'episode page (English)');
      await page.getByRole('button', { name: 'Norsk (bokmål)' }).click();
      await page.getByRole('heading', { name: 'Forløpskart' }).waitFor();
      await context.close();
    }

    // 2. A municipal case worker completes the municipality's tasks and
    //    sees readiness change in the chart.
    {
      const { context, page } = await login(browser, base, 'anders.holtan');
      await page.goto(episodeUrl);
      assert.equal(await boxState(page, 'Starte saksbehandling'), 'ready');
      assert.equal(await boxState(page, 'Etablere ressursteam'), 'blocked');
      await act(page, 'Starte saksbehandling', 'Start');
      assert.equal(await boxState(page, 'Starte saksbehandling'), 'in_progress');
      await act(page, 'Starte saksbehandling', 'Merk som utført');
      assert.equal(await boxState(page, 'Starte saksbehandling'), 'done');
      assert.equal(await boxState(page, 'Etablere ressursteam'), 'ready', 'the next step became ready');
      await act(page, 'Etablere ressursteam', 'Merk som utført');
      assert.equal(await boxState(page, 'Innkalle til planleggingsmøte'), 'ready');
      // Ticking the step's checklist (in the card htmx loads in place).
      const card = () => page.locator('li.task-card', { has: page.locator('h5', { hasText: 'Etablere ressursteam' }) }).first();
      await card().getByRole('link', { name: /Flere handlinger/ }).click();
      const boxes = card().locator('form.checklist input[type=checkbox]');
      await boxes.first().waitFor();
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      await swapped(page, () => card().getByRole('button', { name: 'Lagre avkrysninger' }).click());
      assert.match(await card().locator('.checklist-summary').innerText(), /Sjekkliste: 2 av \d+ avkrysset/);
      await checkAccessibility(page, 'episode page (case worker)');
      await shot(page, '06-episode-case-worker');
      await context.close();
    }

    // 3. Two users edit the same task: the second sees the conflict.
    {
      const a = await login(browser, base, 'kari.sorbo');
      const b = await login(browser, base, 'henrik.aasland');
      for (const u of [a, b]) await u.page.goto(episodeUrl);
      const title = 'Innhente samtykke';
      const noteOf = async (u, text) => {
        const card = u.page.locator('li.task-card', { has: u.page.locator('h5', { hasText: title }) }).first();
        await card.getByRole('link', { name: /Flere handlinger/ }).click();
        await card.getByLabel('Notat').waitFor();
        return async () => {
          await u.page.locator('li.task-card', { has: u.page.locator('h5', { hasText: title }) }).first().getByLabel('Notat').fill(text);
          await swapped(u.page, () => u.page.getByRole('button', { name: 'Lagre notat' }).click());
        };
      };
      const saveA = await noteOf(a, 'Mor samtykker muntlig, skjema kommer.');
      const saveB = await noteOf(b, 'Samtykke innhentet.');
      await saveA();
      await a.page.locator('.notice.success').waitFor();
      await saveB();
      const conflict = b.page.locator('#conflict-message');
      await conflict.waitFor();
      assert.match(await conflict.innerText(), /endret av noen andre/);
      assert.match(await conflict.innerText(), /Mor samtykker muntlig/, 'shows the current state');
      await checkAccessibility(b.page, 'episode page with a conflict');
      await shot(b.page, '07-conflict');
      await a.context.close();
      await b.context.close();
    }

    // 4. A parent sees only their child's episode, in the family view.
    {
      const { context, page } = await login(browser, base, 'forelder.ida');
      const rows = page.locator('table.data-table tbody tr');
      assert.equal(await rows.count(), 1, 'one episode: their child');
      assert.match(await rows.first().innerText(), /Ida/);
      await checkAccessibility(page, 'start page (parent)');
      await shot(page, '08-start-parent');
      await rows.first().getByRole('link').click();
      await page.getByText('Du ser familiens visning').waitFor();
      const childUrl = page.url();
      assert.equal(await page.locator('form.task-actions').count(), 0, 'a family cannot change tasks');
      await checkAccessibility(page, 'episode page (parent)');
      await shot(page, '09-episode-parent');
      await page.getByRole('link', { name: 'Hvem har sett på dette' }).click();
      await page.getByRole('heading', { name: /Hvem har sett på dette/ }).waitFor();
      await checkAccessibility(page, 'access log (parent)');
      await shot(page, '10-access-log-parent');
      // The guardian gives consent in their own name, and withdraws it.
      await page.goto(`${childUrl}/consents`);
      await page.getByText('Du gir samtykket i eget navn').waitFor();
      await page.getByRole('group', { name: 'Virksomheter' }).getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Registrer samtykke' }).click();
      await page.getByText('Samtykket er registrert.').waitFor();
      await checkAccessibility(page, 'consent (parent)');
      await shot(page, '10b-consent-parent');
      const withdraw = page.getByRole('button', { name: /^Trekk tilbake/ });
      const inForce = await withdraw.count();
      await withdraw.last().click();
      await page.getByText('Samtykket er trukket tilbake.').waitFor();
      assert.equal(await withdraw.count(), inForce - 1, 'one consent fewer in force');
      // Another child's episode (the nurse's new one) is refused.
      const r = await page.goto(episodeUrl);
      assert.equal(r.status(), 403);
      assert.doesNotMatch(await page.content(), /Testbarn Nettleser/);
      await context.close();
    }

    // 5. A case worker in another municipality cannot open the episode.
    {
      const { context, page } = await login(browser, base, 'jorunn.lia');
      const r = await page.goto(episodeUrl);
      assert.equal(r.status(), 403);
      await page.getByRole('heading', { name: 'Ingen tilgang' }).waitFor();
      const html = await page.content();
      assert.doesNotMatch(html, /Testbarn Nettleser/);
      assert.doesNotMatch(html, /swimlanes/);
      await checkAccessibility(page, '403 page');
      await shot(page, '11-forbidden');
      const missing = await page.goto(`${base}/episodes/00000000-0000-4000-8000-000000000000`);
      assert.equal(missing.status(), 404);
      await page.getByRole('heading', { name: 'Siden finnes ikke' }).waitFor();
      await checkAccessibility(page, '404 page');
      await page.goto(`${base}/patients/search?q=Fjellheim`);
      await page.getByText('Fant ingen pasient du har tilgang til.').waitFor();
      await checkAccessibility(page, 'patient search without access');
      await context.close();
    }

    // 6. A tablet: 1024 px wide at 200 % zoom still shows the chart and
    //    reaches the tasks by keyboard.
    {
      const context = await browser.newContext({ viewport: { width: 512, height: 700 }, deviceScaleFactor: 2 });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel('Brukernavn').fill('kari.sorbo');
      await page.getByLabel('Passord').fill('demo-passord');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/`);
      await page.goto(episodeUrl);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Hopp til hovedinnholdet');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page itself does not scroll sideways (${overflow}px)`);
      await shot(page, '12-episode-200-percent');
      await context.close();
    }
    // 7. Without JavaScript the pages read and the forms work (POST, then
    //    redirect): a nurse opens the episode and its task page and adds
    //    a note.
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel('Brukernavn').fill('kari.sorbo');
      await page.getByLabel('Passord').fill('demo-passord');
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.waitForURL(`${base}/`);
      await page.getByRole('heading', { name: 'Mine oppgaver' }).waitFor();
      await page.goto(episodeUrl);
      assert.equal(await page.locator('svg.swimlanes a.step').count(), 28);
      assert.equal(await page.locator('li.task-card').count(), 28);
      const card = page.locator('li.task-card', { has: page.locator('h5', { hasText: 'Forbruksmateriell' }) }).first();
      await card.getByRole('link', { name: /Flere handlinger/ }).click();
      await page.waitForURL(/\/tasks\//);
      const taskUrl = page.url();
      await page.locator('textarea[name="note"]').fill('Notert uten JavaScript');
      await page.getByRole('button', { name: 'Lagre notat' }).click();
      await page.getByText('Notert uten JavaScript').first().waitFor();
      // Assigned to her role instead of a person: it is on her start page.
      await page.goto(taskUrl);
      await page.getByLabel('Eller en rolle').selectOption({ label: 'Sykepleier' });
      await page.getByRole('button', { name: 'Tildel rollen' }).click();
      await page.locator('.task-meta', { hasText: 'Tildelt: Sykepleier' }).first().waitFor();
      await page.goto(`${base}/`);
      const mine = page.locator('section[aria-labelledby="my-tasks-heading"]');
      await mine.getByText('Forbruksmateriell').first().waitFor();
      await context.close();
    }
    console.log(`browser tests passed; axe-core checked: ${checkedPages.join(', ')}`);
  } catch (e) {
    console.error(server.log());
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
