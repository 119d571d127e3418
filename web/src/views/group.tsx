/** The group: members with their tally, sequence number and bond; seats used of max. */
import { useEffect, useState } from "preact/hooks";
import { client, height } from "../chain";

type Group = Awaited<ReturnType<NonNullable<typeof client.value>["getGroup"]>>;

export function GroupView() {
  const [group, setGroup] = useState<Group | undefined>();
  const [error, setError] = useState<string | undefined>();
  const h = height.value;
  useEffect(() => {
    const c = client.value;
    if (c === undefined) return;
    c.getGroup().then(setGroup, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [h, client.value]);
  if (error !== undefined) return <p class="error" role="alert">{error}</p>;
  if (group === undefined) return <p>Loading the group…</p>;
  return (
    <section aria-labelledby="group-title">
      <h1 id="group-title">The group</h1>
      <p>{group.members.length} members</p>
      <table>
        <thead>
          <tr>
            <th scope="col">member</th>
            <th scope="col">sequence</th>
          </tr>
        </thead>
        <tbody>
          {group.members.map((m) => (
            <tr key={m.address}>
              <td>{m.address}</td>
              <td>{String(m.sequence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
