// The inactivity timeout (drafts/idle.py): the server signs the user out after a while without a request.
// A minute before (data-idle-warning seconds), a banner offers to stay signed in. The server is asked first how
// long is left, since another tab may have kept the session alive. After the end the banner says what happens
// to what is typed on this page: it is kept when the form is saved, and filled in again after signing in.
(function () {
  "use strict";
  var gettext = window.gettext || function (message) { return message; };  // the JavaScript catalogue (i18n/js/)
  var body = document.body;
  var remaining = parseFloat(body.dataset.idleRemaining);
  if (isNaN(remaining)) return;
  var warning = parseFloat(body.dataset.idleWarning) || 60;
  var banner = document.getElementById("idle-warning");
  if (!banner) return;
  var text = banner.querySelector("[data-idle-text]");
  var countdown = banner.querySelector("[data-idle-countdown]");
  var stay = banner.querySelector("[data-idle-stay]");
  var timer = null, ticker = null, deadline = 0;

  function stopTimers() {
    window.clearTimeout(timer);
    window.clearInterval(ticker);
  }

  function schedule(seconds) {
    stopTimers();
    banner.hidden = true;
    deadline = Date.now() + seconds * 1000;
    timer = window.setTimeout(check, Math.max(0, seconds - warning) * 1000);
  }

  function ask(url, options) {
    return window.fetch(url, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" },
                                             redirect: "manual" }, options || {}))
      .then(function (response) {
        if (!response.ok) return { remaining: 0, signed_in: false };
        return response.json();
      });
  }

  function check() {
    ask(body.dataset.idleStatusUrl).then(function (state) {
      if (state.signed_in && state.remaining > warning + 1) schedule(state.remaining);
      else if (state.signed_in) warn(state.remaining);
      else ended();
    }).catch(function () { warn((deadline - Date.now()) / 1000); });
  }

  function warn(seconds) {
    stopTimers();
    deadline = Date.now() + seconds * 1000;
    banner.hidden = false;
    var show = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      countdown.textContent = String(left);
      if (left <= 0) ended();
    };
    show();
    ticker = window.setInterval(show, 1000);
  }

  function ended() {
    stopTimers();
    banner.hidden = false;
    banner.classList.replace("alert-warning", "alert-secondary");
    text.textContent = gettext("You were signed out because nothing was sent from this browser for a while. " +
      "If you were filling in a form, save it: what you typed is kept, you sign in again and it is filled in again.");
    stay.hidden = true;
  }

  stay.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    ask(body.dataset.idleKeepaliveUrl, { method: "POST", headers: {
      Accept: "application/json", "X-CSRFToken": token ? token.value : "" } })
      .then(function (state) { if (state.signed_in) schedule(state.remaining); else ended(); })
      .catch(ended);
  });

  schedule(remaining);
})();
