/*! Material for MkDocs 9.8.2 (MIT licence, Copyright (c) 2016-2025 Martin Donath), an inline
 * script of its templates moved to a file by the panel generator, so that the Content-Security-Policy
 * runs no inline script (overrides/partials/javascripts/). */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
