import { useEffect, useState } from "react";
import { request } from "../api";
import { Avatar } from "./Avatar";

// Profile images of chat authors, looked up once per author and page load (at most FACES).
const FACES = 500;
const faces = new Map<string, Promise<string | null>>();

function faceOf(username: string): Promise<string | null> {
  let found = faces.get(username);
  if (!found) {
    if (faces.size >= FACES) faces.delete(faces.keys().next().value as string);
    found = request<{ data: { profile_image_url: string | null } }>(`/api/v1/users/${username}`)
      .then((answer) => answer.data.profile_image_url, () => null);
    faces.set(username, found);
  }
  return found;
}

export function Face({ username, name }: { username: string; name: string }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void faceOf(username).then((url) => current && setImage(url));
    return () => {
      current = false;
    };
  }, [username]);
  return <Avatar name={name} image={image} size={20} />;
}
