import { credentialsScreen } from "./screens/credentials";

const root = document.getElementById("app");
if (root) {
  credentialsScreen(root);
  root.dataset.ready = "true";
}
