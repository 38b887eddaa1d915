// Sign in (/staff): email and password, then, for a password an officer gave, the
// person's own. Afterwards, back to the screen that sent them here.
import { MIN_PASSWORD_LENGTH } from "./constants.js";
import { clockWords } from "./opening.js";
import { ApiError, NoSignal, call, hasToken, saveToken } from "./staff-api.js";
import { clearFieldErrors, clearProblem, fieldError, fieldMessage, say, showProblem } from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const signInForm = document.getElementById("sign-in-form");
const passwordForm = document.getElementById("password-form");
const params = new URLSearchParams(location.search);
const REASONS = {
  "ended": ["Your sign-in has ended. Please sign in again."],
  "ended-kept": ["Your sign-in has ended. Please sign in again.", "We kept what you typed. You will see it again after you sign in."],
  "needed": ["Please sign in first."],
  "signed-out": ["You are signed out."],
};
// The password fields, in the words the person knows them by.
const PASSWORD_WORDS = { current_password: "The password you signed in with", new_password: "Your new password" };
let currentPassword = null;

// Only back to a staff screen: a link cannot send someone elsewhere after signing in.
function nextPage() {
  const next = params.get("next") ?? "";
  return /^\/staff(\/[a-z-]+)?(\?[\w=&%-]*)?$/.test(next) && next !== "/staff" ? next : "/staff/venues";
}

function showFieldProblems(form, problems) {
  clearFieldErrors(form);
  for (const [input, message] of problems) fieldError(input, message);
  showProblem(problem, problems.map(([, message]) => message),
    { links: problems.map(([input, message]) => ({ id: input.id, words: message })) });
}

async function afterSignIn() {
  const { data: me } = await call("/api/me");
  if (!me.must_change_password) {
    location.assign(nextPage());
    return;
  }
  signInForm.hidden = true;
  passwordForm.hidden = false;
  document.getElementById("current-password-field").hidden = currentPassword !== null;
  say(status, `Signed in as ${me.email}.`);
  document.getElementById("password-heading").focus();
}

signInForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(problem);
  const email = document.getElementById("email");
  const password = document.getElementById("password");
  const missing = [
    !email.value.trim() && [email, "Type your email."],
    !password.value && [password, "Type your password."],
  ].filter(Boolean);
  if (missing.length) {
    showFieldProblems(signInForm, missing);
    return;
  }
  clearFieldErrors(signInForm);
  say(status, "Signing in.");
  try {
    const { data: token } = await call("/api/auth/token", {
      method: "POST", signedIn: false, contentType: "application/x-www-form-urlencoded",
      body: new URLSearchParams({ username: email.value.trim(), password: password.value }),
    });
    saveToken(token);
    currentPassword = password.value;
    await afterSignIn();
  } catch (error) {
    say(status);
    if (error instanceof ApiError && error.status === 429 && error.retryAfter) {
      const then = new Date(Date.now() + error.retryAfter * 1000);
      const at = clockWords({ hour: then.getHours(), minute: then.getMinutes() });
      showFieldProblems(signInForm, [[password, `${error.message} You can try again at ${at}.`]]);
    } else if (error instanceof ApiError && error.status === 401) {
      showFieldProblems(signInForm, [[password, error.message]]);
    } else {
      showProblem(problem, error instanceof NoSignal || error instanceof ApiError ? error.message : "Something went wrong. Please try again.");
    }
  }
});

passwordForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(problem);
  const current = document.getElementById("current-password");
  const fresh = document.getElementById("new-password");
  const again = document.getElementById("new-password-again");
  const problems = [
    currentPassword === null && !current.value && [current, "Type the password you signed in with."],
    fresh.value.length < MIN_PASSWORD_LENGTH && [fresh, `Your new password must be ${MIN_PASSWORD_LENGTH} characters or more.`],
    fresh.value.length >= MIN_PASSWORD_LENGTH && fresh.value !== again.value && [again, "The 2 new passwords are not the same. Type them again."],
  ].filter(Boolean);
  if (problems.length) {
    showFieldProblems(passwordForm, problems);
    return;
  }
  clearFieldErrors(passwordForm);
  try {
    const { data: token } = await call("/api/auth/password", {
      method: "POST",
      json: { current_password: currentPassword ?? current.value, new_password: fresh.value },
    });
    saveToken(token);
    say(status, "Your password is saved.");
    location.assign(nextPage());
  } catch (error) {
    // The field at fault, as the answer's `errors` name it, or its message starts with it.
    const inputs = { current_password: current, new_password: fresh };
    const field = error.errors?.find((each) => each.field in inputs)?.field
      ?? Object.keys(inputs).find((name) => error.message.startsWith(name)) ?? "new_password";
    showFieldProblems(passwordForm, [[inputs[field], fieldMessage(field, error.message, PASSWORD_WORDS[field])]]);
  }
});

say(status, ...(REASONS[params.get("reason")] ?? []));
if (hasToken()) {
  afterSignIn().catch(() => {});
} else {
  document.getElementById("email").focus();
}
