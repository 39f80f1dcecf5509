// Effektkedjor: the only script of our own. It keeps keyboard focus where the user is
// working when htmx swaps content in place: the server marks the element to focus with
// data-fokus (a form's first field, the confirm button, the row's "Ändra" link after
// saving). A file, not inline script, so a strict Content Security Policy allows it.
document.addEventListener("htmx:afterSettle", function (event) {
  // The mark in what was just swapped in wins over one left elsewhere on the page (a
  // full page load marks a saved row too, and two quick swaps may settle out of order).
  var settled = event.target;
  var wanted =
    (settled.matches && settled.matches("[data-fokus]") && settled) ||
    (settled.querySelector && settled.querySelector("[data-fokus]")) ||
    document.querySelector("[data-fokus]");
  if (wanted) {
    wanted.removeAttribute("data-fokus");
    // Someone quick (or a tool) may already be typing in the new form: settling comes a
    // moment after the swap, and taking focus then would send their keys elsewhere.
    var active = document.activeElement;
    if (!(wanted.form && active && active.form === wanted.form)) {
      wanted.focus();
    }
  }
});

// The CSRF token is read from its cookie for every htmx request, not only from the page:
// signing in again (in another tab, after the session ran out) gives a new token, and
// the form still open here must be able to send it.
document.addEventListener("htmx:configRequest", function (event) {
  var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    var token = decodeURIComponent(match[1]);
    event.detail.headers["X-CSRFToken"] = token;
    // Django reads the form's hidden field before the header, so renew that too.
    if (event.detail.parameters && event.detail.parameters.csrfmiddlewaretoken) {
      event.detail.parameters.csrfmiddlewaretoken = token;
    }
  }
});

// htmx does not swap an error response, so without this a failed save would look like
// nothing happened. Say what went wrong in Swedish; the form and what the user typed stay
// as they are. textContent, never HTML: nothing from the response is interpreted.
function visaFel(text, lank) {
  var main = document.getElementById("innehall");
  var ruta = document.getElementById("htmx-fel");
  if (!ruta) {
    ruta = document.createElement("div");
    ruta.id = "htmx-fel";
    ruta.className = "felruta";
    ruta.setAttribute("role", "alert");
    main.insertBefore(ruta, main.firstChild);
  }
  var p = document.createElement("p");
  p.textContent = text;
  ruta.replaceChildren(p);
  if (lank) {
    var a = document.createElement("a");
    a.href = lank.href;
    a.target = "_blank";
    a.textContent = lank.text;
    p.append(" ", a);
  }
}

document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var sparar = (event.detail.requestConfig.verb || "get").toLowerCase() !== "get";
  var vad = sparar ? "Det gick inte att spara" : "Det gick inte att hämta sidan";
  if (status === 401) {
    visaFel("Du har blivit utloggad, till exempel för att du inte använt tjänsten på länge. " +
      "Det du skrivit finns kvar här: logga in i en ny flik och försök sedan igen på den här sidan.",
      {href: "/konto/logga-in/", text: "Logga in (öppnas i en ny flik)"});
  } else if (status === 403) {
    visaFel(vad + ": du saknar behörighet, eller så är sidan för gammal. " +
      "Kopiera det du skrivit, ladda om sidan och försök igen.");
  } else if (status === 503) {
    visaFel("Tjänsten är tillfälligt otillgänglig. Vänta en stund och försök igen; " +
      "det du skrivit finns kvar.");
  } else {
    visaFel(vad + " (felkod " + status + "). Det du skrivit finns kvar. " +
      "Försök igen, eller ladda om sidan.");
  }
});

document.addEventListener("htmx:sendError", function () {
  visaFel("Kunde inte nå servern. Kontrollera anslutningen och försök igen; " +
    "det du skrivit finns kvar.");
});

// A later request that succeeds takes the old message away.
document.addEventListener("htmx:afterRequest", function (event) {
  var ruta = document.getElementById("htmx-fel");
  if (ruta && event.detail.successful) {
    ruta.remove();
  }
});

// A PDF report takes a few seconds to make (the whole programme about four). A link
// marked data-pdf fetches the file itself so that the page can say so meanwhile: a
// visible "Rapporten skapas …" beside the link, the same words through the page's live
// region, and aria-busy on the link; the file is then saved as a download. A report too
// large to make in the request answers with the task worker's order page, which the
// browser then opens, as it would have without JavaScript. Without JavaScript the link
// is an ordinary download.
function pdfStatus(link) {
  var status = link.nextElementSibling;
  if (!status || !status.classList.contains("pdf-status")) {
    status = document.createElement("span");
    status.className = "pdf-status";
    link.after(status);
  }
  return status;
}

function visaPdfLage(link, text, lage) {
  var status = pdfStatus(link);
  status.textContent = text;
  status.dataset.lage = lage;
  var live = document.getElementById("live");
  if (live) {
    live.textContent = text;
  }
}

function filnamn(response, link) {
  var header = response.headers.get("Content-Disposition") || "";
  var utf8 = header.match(/filename\*=UTF-8''([^;]+)/i);
  if (utf8) {
    return decodeURIComponent(utf8[1]);
  }
  var plain = header.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : link.pathname.split("/").filter(Boolean).join("-") + ".pdf";
}

function hamtaPdf(link) {
  link.setAttribute("aria-busy", "true");
  visaPdfLage(link, "Rapporten skapas … det kan ta några sekunder.", "skapas");
  fetch(link.href, {credentials: "same-origin"})
    .then(function (response) {
      var typ = response.headers.get("Content-Type") || "";
      if (response.ok && typ.indexOf("application/pdf") === 0) {
        return response.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var a = document.createElement("a");
          a.href = url;
          a.download = filnamn(response, link);
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          visaPdfLage(link, "Rapporten är klar och har laddats ner.", "klar");
        });
      }
      if (response.ok && response.redirected) {
        // A large report: its order page shows how the task worker is getting on (or,
        // signed out meanwhile, the sign-in page), as without JavaScript.
        window.location.assign(response.url);
        return;
      }
      visaPdfLage(link, "Rapporten kunde inte skapas (felkod " + response.status + "). " +
        "Försök igen.", "fel");
    })
    .catch(function () {
      visaPdfLage(link, "Kunde inte nå servern. Kontrollera anslutningen och försök igen.", "fel");
    })
    .finally(function () {
      link.removeAttribute("aria-busy");
    });
}

document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-pdf]") : null;
  if (!link || event.defaultPrevented || event.button !== 0 ||
      event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  if (link.getAttribute("aria-busy") !== "true") {
    hamtaPdf(link);
  }
});
