// A part of a page named by its own heading, so a screen reader lists it by that name.
import type { ReactNode } from 'react';

interface Props {
  /** The heading's id, unique on the page. */
  id: string;
  title: ReactNode;
  className: string;
  titleClassName: string;
  children: ReactNode;
}

export function Section({ id, title, className, titleClassName, children }: Props) {
  return (
    <section className={className} aria-labelledby={id}>
      <h2 className={titleClassName} id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}
