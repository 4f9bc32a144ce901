import type { ResourceLink } from "@modelcontextprotocol/server";
import type { StoredImage } from "./image-service.ts";

/** The permanent image as a link: hosts show or fetch it, the model's context gets no bytes. */
export function resourceLink(image: StoredImage): ResourceLink {
  const extension = image.content_type.split("/")[1]?.replace("jpeg", "jpg") ?? "png";
  return {
    type: "resource_link",
    uri: image.url,
    name: `${image.key}.${extension}`,
    title: `${image.size} ${image.model} image`,
    description: image.prompt,
    mimeType: image.content_type,
    size: image.bytes,
  };
}
