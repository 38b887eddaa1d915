// About: only the "Read this to me" buttons; the saved-list note is filled by layout.js.
import { addSpeakButtons } from "./speak.js";

addSpeakButtons(document.querySelector("main"));
