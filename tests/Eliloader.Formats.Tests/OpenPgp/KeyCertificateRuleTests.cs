using Eliloader.Formats.OpenPgp;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.Tests.OpenPgp;

/// <summary>
/// Which certificates make a key able to sign, on keys crafted in memory: a primary key
/// needs a valid self-certification of a user ID, a subkey the primary's
/// binding with the signing flag and its own back-signature; a revocation counts only
/// when it verifies; the latest valid certificate decides.
/// </summary>
public sealed class KeyCertificateRuleTests
{
    private const string UserId = "Crafted <crafted@example.org>";
    private static readonly DateTime Made = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Signed = Made.AddDays(10);
    private static readonly byte[] Data = "Origin: Crafted\n"u8.ToArray();
    private static readonly SignatureRules NoSha1 = new(Sha1Before: null);

    private static Keyring Keyring(CraftedRing ring)
    {
        var keyring = new Keyring();
        keyring.Add("crafted.gpg", ring.Bytes());
        return keyring;
    }

    private static SignatureCheck Check(CraftedRing ring, CraftedKey signer, DateTime? at = null) =>
        Assert.Single(SignatureChecker.Check(signer.Sign(Data, at ?? Signed), Data, Keyring(ring), NoSha1));

    private static string CannotSign(CraftedKey key) => $"key {key.Id} has no valid self-signature or binding that lets it sign";

    /// <summary>A subkey binding, by the primary over the subkey unless <paramref name="by"/> or <paramref name="over"/> say otherwise.</summary>
    private static PgpSignature Binding(CraftedKey primary, CraftedKey subkey, DateTime at, int flags = PgpKeyFlags.CanSign, PgpSignature? back = null,
        CraftedKey? by = null, CraftedKey? over = null) =>
        (by ?? primary).CertifySubkey(primary, over ?? subkey, PgpSignature.SubkeyBinding, at, s =>
        {
            CraftedRing.Flags(s, flags, 0);
            if (back is not null)
                s.AddEmbeddedSignature(false, back);
        });

    private static PgpSignature BackSignature(CraftedKey primary, CraftedKey subkey, int type = PgpSignature.PrimaryKeyBinding) =>
        subkey.CertifySubkey(primary, subkey, type, subkey.Created);

    private static CraftedRing SignerOnly(CraftedKey primary) => CraftedRing.Usual(primary, PgpKeyFlags.CanCertify);

    [Fact]
    public void A_subkey_bound_with_its_back_signature_signs()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var check = Check(SignerOnly(primary).SigningSubkey(subkey), subkey);

        Assert.Equal(SignatureVerdict.Good, check.Verdict);
        Assert.Equal(subkey.Id, check.KeyId);
        Assert.Equal(UserId, check.UserId);
        Assert.Equal("crafted.gpg", check.Keyring);
        Assert.Equal(Convert.ToHexString(subkey.Public.GetFingerprint()), check.Fingerprint);
    }

    [Fact]
    public void A_subkey_binding_without_the_back_signature_does_not_let_it_sign()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var check = Check(SignerOnly(primary).Subkey(subkey, Binding(primary, subkey, Made)), subkey);

        Assert.Equal(SignatureVerdict.NotSigningKey, check.Verdict);
        Assert.Equal(CannotSign(subkey), check.Reason);
    }

    [Fact]
    public void A_back_signature_of_another_type_or_by_another_key_does_not_count()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var stranger = CraftedKey.New(Made);
        var wrongType = Binding(primary, subkey, Made, back: BackSignature(primary, subkey, PgpSignature.SubkeyBinding));
        var wrongKey = Binding(primary, subkey, Made, back: stranger.CertifySubkey(primary, subkey, PgpSignature.PrimaryKeyBinding, Made));

        Assert.Equal(SignatureVerdict.NotSigningKey, Check(SignerOnly(primary).Subkey(subkey, wrongType), subkey).Verdict);
        Assert.Equal(SignatureVerdict.NotSigningKey, Check(SignerOnly(primary).Subkey(subkey, wrongKey), subkey).Verdict);
    }

    [Fact]
    public void A_subkey_without_a_binding_or_bound_by_another_key_cannot_sign()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var stranger = CraftedKey.New(Made);
        var byStranger = Binding(primary, subkey, Made, back: BackSignature(primary, subkey), by: stranger);

        Assert.Equal(CannotSign(subkey), Check(SignerOnly(primary).Subkey(subkey), subkey).Reason);
        Assert.Equal(CannotSign(subkey), Check(SignerOnly(primary).Subkey(subkey, byStranger), subkey).Reason);
    }

    [Fact]
    public void A_binding_by_the_primary_over_another_subkey_does_not_bind()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var other = CraftedKey.New(Made);
        // The primary's key ID and this subkey's back-signature, but signed over another subkey.
        var misplaced = Binding(primary, subkey, Made, back: BackSignature(primary, subkey), over: other);
        Assert.Equal(CannotSign(subkey), Check(SignerOnly(primary).Subkey(subkey, misplaced), subkey).Reason);
    }

    [Fact]
    public void A_bound_subkey_of_a_primary_without_a_self_certification_cannot_sign()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var check = Check(new CraftedRing(primary).SigningSubkey(subkey), subkey);
        Assert.Equal(SignatureVerdict.NotSigningKey, check.Verdict);
        Assert.Equal(CannotSign(subkey), check.Reason);
    }

    [Fact]
    public void A_subkey_bound_for_encryption_only_cannot_sign()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var binding = Binding(primary, subkey, Made, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage, BackSignature(primary, subkey));
        Assert.Equal(SignatureVerdict.NotSigningKey, Check(SignerOnly(primary).Subkey(subkey, binding), subkey).Verdict);
    }

    [Fact]
    public void The_latest_binding_decides_whether_a_subkey_signs()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var back = BackSignature(primary, subkey);
        var signs = Binding(primary, subkey, Made, PgpKeyFlags.CanSign, back);
        var encrypts = Binding(primary, subkey, Made.AddDays(1), PgpKeyFlags.CanEncryptStorage, back);
        var signsAgain = Binding(primary, subkey, Made.AddDays(2), PgpKeyFlags.CanSign, back);

        Assert.Equal(SignatureVerdict.NotSigningKey, Check(SignerOnly(primary).Subkey(subkey, signs, encrypts), subkey).Verdict);
        Assert.Equal(SignatureVerdict.NotSigningKey, Check(SignerOnly(primary).Subkey(subkey, encrypts, signs), subkey).Verdict);
        Assert.Equal(SignatureVerdict.Good, Check(SignerOnly(primary).Subkey(subkey, signsAgain, encrypts), subkey).Verdict);
    }

    [Fact]
    public void The_latest_self_certification_decides_whether_a_primary_signs()
    {
        var key = CraftedKey.New(Made);
        var signs = key.CertifyUserId(key, UserId, Made, s => CraftedRing.Flags(s, PgpKeyFlags.CanSign, 0));
        var certifies = key.CertifyUserId(key, UserId, Made.AddDays(1), s => CraftedRing.Flags(s, PgpKeyFlags.CanCertify, 0));

        Assert.Equal(SignatureVerdict.NotSigningKey, Check(new CraftedRing(key).UserId(UserId, signs, certifies), key).Verdict);
        Assert.Equal(SignatureVerdict.NotSigningKey, Check(new CraftedRing(key).UserId(UserId, certifies, signs), key).Verdict);
    }

    [Fact]
    public void A_self_certification_without_key_flags_lets_the_primary_sign()
    {
        var key = CraftedKey.New(Made);
        var ring = new CraftedRing(key).UserId(UserId, key.CertifyUserId(key, UserId, Made));
        Assert.Equal(SignatureVerdict.Good, Check(ring, key).Verdict);
    }

    [Theory]
    [InlineData(PgpSignature.DefaultCertification)]
    [InlineData(PgpSignature.NoCertification)]
    [InlineData(PgpSignature.CasualCertification)]
    [InlineData(PgpSignature.PositiveCertification)]
    public void Each_kind_of_user_id_self_certification_binds_the_primary(int type)
    {
        var key = CraftedKey.New(Made);
        var ring = new CraftedRing(key).UserId(UserId, key.CertifyUserId(key, UserId, Made, type: type));
        Assert.Equal(SignatureVerdict.Good, Check(ring, key).Verdict);
    }

    [Fact]
    public void A_primary_without_a_valid_self_certification_cannot_sign()
    {
        var key = CraftedKey.New(Made);
        var stranger = CraftedKey.New(Made);
        var revocation = key.CertifyUserId(key, UserId, Made, type: PgpSignature.CertificationRevocation);
        var otherUserId = key.CertifyUserId(key, "Someone else <else@example.org>", Made);

        Assert.Equal(CannotSign(key), Check(new CraftedRing(key), key).Reason);
        Assert.Equal(CannotSign(key), Check(new CraftedRing(key).UserId(UserId, stranger.CertifyUserId(key, UserId, Made)), key).Reason);
        Assert.Equal(CannotSign(key), Check(new CraftedRing(key).UserId(UserId, revocation), key).Reason);
        Assert.Equal(CannotSign(key), Check(new CraftedRing(key).UserId(UserId, otherUserId), key).Reason);
    }

    [Fact]
    public void A_revoked_subkey_is_named_and_a_revoked_primary_revokes_its_subkeys()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var subkeyRevocation = primary.CertifySubkey(primary, subkey, PgpSignature.SubkeyRevocation, Made.AddDays(1));
        var keyRevocation = primary.CertifyKey(primary, PgpSignature.KeyRevocation, Made.AddDays(1));

        var subkeyCheck = Check(RevokedSubkey(primary, subkey, subkeyRevocation), subkey);
        var primaryCheck = Check(SignerOnly(primary).KeySignature(keyRevocation).SigningSubkey(subkey), subkey);

        Assert.Equal(SignatureVerdict.Revoked, subkeyCheck.Verdict);
        Assert.Equal($"subkey {subkey.Id} is revoked", subkeyCheck.Reason);
        Assert.Equal(SignatureVerdict.Revoked, primaryCheck.Verdict);
        Assert.Equal($"key {primary.Id} is revoked", primaryCheck.Reason);
    }

    private static CraftedRing RevokedSubkey(CraftedKey primary, CraftedKey subkey, PgpSignature revocation) =>
        SignerOnly(primary).Subkey(subkey, Binding(primary, subkey, Made, back: BackSignature(primary, subkey)), revocation);

    [Fact]
    public void A_revocation_made_by_another_key_does_not_revoke()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var stranger = CraftedKey.New(Made);
        var bySubkey = subkey.CertifySubkey(primary, subkey, PgpSignature.SubkeyRevocation, Made.AddDays(1));
        var byStranger = stranger.CertifyKey(primary, PgpSignature.KeyRevocation, Made.AddDays(1));

        Assert.Equal(SignatureVerdict.Good, Check(RevokedSubkey(primary, subkey, bySubkey), subkey).Verdict);
        Assert.Equal(SignatureVerdict.Good, Check(SignerOnly(primary).KeySignature(byStranger).SigningSubkey(subkey), subkey).Verdict);
        Assert.False(Assert.Single(Keyring(SignerOnly(primary).KeySignature(byStranger)).Describe()).Revoked);
    }

    [Fact]
    public void A_subkey_revocation_that_does_not_verify_does_not_revoke()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var other = CraftedKey.New(Made);
        // The primary's own revocation, but of another subkey: its key ID is right, its signature is not.
        var misplaced = primary.CertifySubkey(primary, other, PgpSignature.SubkeyRevocation, Made.AddDays(1));
        Assert.Equal(SignatureVerdict.Good, Check(RevokedSubkey(primary, subkey, misplaced), subkey).Verdict);
    }

    [Fact]
    public void The_subkey_and_the_primary_expiry_are_each_named()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var lapsedPrimary = CraftedRing.Usual(primary, PgpKeyFlags.CanCertify, lifetime: 86400).SigningSubkey(subkey);
        var lapsedSubkey = SignerOnly(primary).SigningSubkey(subkey, lifetime: 2 * 86400);

        Assert.Equal($"made 2024-01-11, after key {primary.Id} expired (2024-01-02)", Check(lapsedPrimary, subkey).Reason);
        Assert.Equal($"made 2024-01-11, after key {subkey.Id} expired (2024-01-03)", Check(lapsedSubkey, subkey).Reason);
        Assert.Equal(SignatureVerdict.Expired, Check(lapsedSubkey, subkey).Verdict);
    }

    [Fact]
    public void A_signature_made_the_second_a_key_expires_does_not_count_and_one_second_before_does()
    {
        var key = CraftedKey.New(Made);
        var ring = CraftedRing.Usual(key, lifetime: 3600);

        Assert.Equal(SignatureVerdict.Expired, Check(ring, key, Made.AddHours(1)).Verdict);
        Assert.Equal(SignatureVerdict.Good, Check(ring, key, Made.AddHours(1).AddSeconds(-1)).Verdict);
    }

    [Fact]
    public void A_signature_made_the_second_a_key_is_created_counts_and_one_second_before_does_not()
    {
        var key = CraftedKey.New(Made);
        var ring = CraftedRing.Usual(key);
        var early = Check(ring, key, Made.AddSeconds(-1));

        Assert.Equal(SignatureVerdict.Good, Check(ring, key, Made).Verdict);
        Assert.Equal(SignatureVerdict.NotYetValid, early.Verdict);
        Assert.Equal($"made 2023-12-31, before key {key.Id} was created (2024-01-01)", early.Reason);
    }

    [Fact]
    public void A_subkey_newer_than_its_primary_is_dated_by_its_own_creation()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made.AddDays(5));
        var ring = SignerOnly(primary).SigningSubkey(subkey);

        Assert.Equal(SignatureVerdict.NotYetValid, Check(ring, subkey, Made.AddDays(4)).Verdict);
        Assert.Equal(SignatureVerdict.Good, Check(ring, subkey, Made.AddDays(5)).Verdict);
    }

    [Fact]
    public void Subkeys_are_described_with_their_expiry_revocation_and_whether_they_sign()
    {
        var primary = CraftedKey.New(Made);
        var signing = CraftedKey.New(Made.AddDays(1));
        var unbacked = CraftedKey.New(Made);
        var revoked = CraftedKey.New(Made);
        var ring = CraftedRing.Usual(primary, PgpKeyFlags.CanCertify, lifetime: 30 * 86400)
            .SigningSubkey(signing, lifetime: 86400)
            .Subkey(unbacked, Binding(primary, unbacked, Made))
            .Subkey(revoked, Binding(primary, revoked, Made, back: BackSignature(primary, revoked)), primary.CertifySubkey(primary, revoked, PgpSignature.SubkeyRevocation, Made));

        var key = Assert.Single(Keyring(ring).Describe());

        Assert.Equal("ed25519", key.Algorithm);
        Assert.Equal(primary.Id, key.KeyId);
        Assert.Equal([UserId], key.UserIds);
        Assert.Equal(Made, key.Created);
        Assert.Equal(Made.AddDays(30), key.Expires);
        Assert.False(key.Revoked);
        Assert.Equal(
            [
                new SubkeyDescription(signing.Id, Convert.ToHexString(signing.Public.GetFingerprint()), Made.AddDays(1), Made.AddDays(2), false, true),
                new SubkeyDescription(unbacked.Id, Convert.ToHexString(unbacked.Public.GetFingerprint()), Made, null, false, false),
                new SubkeyDescription(revoked.Id, Convert.ToHexString(revoked.Public.GetFingerprint()), Made, null, true, true),
            ],
            key.Subkeys);
    }

    [Fact]
    public void An_unbound_subkey_is_described_as_not_signing()
    {
        var primary = CraftedKey.New(Made);
        var subkey = CraftedKey.New(Made);
        var described = Assert.Single(Assert.Single(Keyring(SignerOnly(primary).Subkey(subkey)).Describe()).Subkeys);
        Assert.False(described.CanSign);
        Assert.Null(described.Expires);
    }
}
