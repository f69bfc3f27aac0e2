import Link from "next/link";

export default function NotFound() {
  return (
    <section className="mx-auto max-w-lg text-center">
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="mt-2 text-sm">
        <Link className="underline" href="/">
          Back to the overview
        </Link>
      </p>
    </section>
  );
}
