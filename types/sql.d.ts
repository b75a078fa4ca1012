// wrangler bundles drizzle-kit's .sql migrations as text.
declare module "*.sql" {
  const text: string;
  export default text;
}
