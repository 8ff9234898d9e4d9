// Entry point of the dashboard served by `armstrace serve`: the same views as a report, fed by
// the HTTP API whose base path the page names in data-api.

import { boot } from "./app.js";
import { apiSource } from "./data.js";

const root = document.getElementById("app");
boot(apiSource(root.dataset.api || "/api", root.dataset.world || "/api/world"), root);
