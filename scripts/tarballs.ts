// `npm run tarballs`: the tarballs a release attaches, built from this clone into packed/:
// glm-image-core, -node, -mock and -cli, each `npm pack`ed (and so built) as npm would publish it.
import { join } from "node:path";
import { packTarballs, publishedPackages } from "./pack-install.ts";

const destination = join(new URL("../", import.meta.url).pathname, "packed");
const tarballs = await packTarballs(publishedPackages, destination);
console.log(`${tarballs.length} tarballs in packed/:`);
for (const tarball of tarballs) console.log(`  ${tarball.slice(destination.length + 1)}`);
