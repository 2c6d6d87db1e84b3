// ivoaudit web app: the only script (no inline scripts are allowed by the page's policy).
// Progressive enhancement: every page works without it.
"use strict";

// A running job: ask for its state every half second, show the stage, go on when done.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.state !== "running") return;
  const stage = document.getElementById("job-stage");
  const bar = document.getElementById("job-progress");
  async function poll() {
    let info;
    try {
      const response = await fetch("/jobs/" + box.dataset.job + "/status", { credentials: "same-origin" });
      info = await response.json();
    } catch (e) {
      setTimeout(poll, 1000);
      return;
    }
    if (info.state === "running") {
      stage.textContent = info.stage;
      if (info.fraction !== null) bar.value = info.fraction;
      setTimeout(poll, 500);
    } else {
      window.location.replace("/jobs/" + box.dataset.job);
    }
  }
  setTimeout(poll, 300);
})();

// A submit button shows that something is happening, and cannot be pressed twice.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form.classList.contains("lang")) return;
  const button = form.querySelector("button[type=submit]");
  if (button) {
    button.setAttribute("aria-disabled", "true");
    button.classList.add("busy");
    setTimeout(function () { button.disabled = true; }, 0);
  }
});

// The sampling form: show only the settings of the chosen method (all are shown without script).
(function () {
  const strategy = document.getElementById("strategy");
  if (!strategy) return;
  function update() {
    document.querySelectorAll("fieldset.strategy").forEach(function (box) {
      box.hidden = box.dataset.for.split(" ").indexOf(strategy.value) < 0;
    });
  }
  strategy.addEventListener("change", update);
  update();
})();
