// A user's profile image, or their initial on a colour of their own when they have none.
export function Avatar({ name, image, size = 40 }: { name: string; image?: string | null; size?: number }) {
  const style = { width: size, height: size, fontSize: size * 0.45 };
  if (image) return <img className="avatar" src={image} alt="" width={size} height={size} style={style} />;
  return <span className="avatar initial" aria-hidden="true" style={style}>{name.slice(0, 1).toUpperCase()}</span>;
}
