// The one-time password link page (admin): select the link on click, copy it, print the page.
// A file rather than onclick="" attributes: the content security policy runs no inline script.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-select-on-click], [data-copy-from], [data-print]");
  if (!target) return;
  if (target.hasAttribute("data-select-on-click")) {
    target.select();
  } else if (target.hasAttribute("data-copy-from")) {
    const source = document.getElementById(target.dataset.copyFrom);
    if (source && navigator.clipboard) navigator.clipboard.writeText(source.value);
  } else if (target.hasAttribute("data-print")) {
    window.print();
  }
});
